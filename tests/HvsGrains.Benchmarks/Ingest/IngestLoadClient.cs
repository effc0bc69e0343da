using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>Counters of one phase of the load (warm-up or measured window).</summary>
internal sealed class IngestPhaseStats
{
    private long _batches;
    private long _accepted;
    private long _duplicates;
    private long _errors;
    private long _shed;
    private long _shedWithoutRetryAfter;

    public LatencyHistogram HttpLatency { get; } = new();

    public long Batches => Interlocked.Read(ref _batches);

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Requests the silo shed (503/429) because it was at its ingest limit.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Shed answers that lacked a Retry-After header (should stay 0).</summary>
    public long ShedWithoutRetryAfter => Interlocked.Read(ref _shedWithoutRetryAfter);

    public string? FirstError { get; private set; }

    public void Completed(double ms, int accepted, int duplicates)
    {
        HttpLatency.Record(ms);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _accepted, accepted);
        Interlocked.Add(ref _duplicates, duplicates);
    }

    public void WasShed(bool hasRetryAfter)
    {
        Interlocked.Increment(ref _shed);
        if (!hasRetryAfter)
        {
            Interlocked.Increment(ref _shedWithoutRetryAfter);
        }
    }

    public void Failed(string error)
    {
        if (Interlocked.Increment(ref _errors) == 1)
        {
            FirstError = error;
        }
    }
}

/// <summary>
/// N workers, each with its own buffer, post batches k = 0, 1, 2, … (a shared counter) over one
/// <see cref="SocketsHttpHandler"/> limited to N HTTP/1.1 keep-alive connections, so each worker keeps one
/// connection busy. Responses are read fully and their "accepted"/"duplicates" counts summed.
/// </summary>
internal sealed class IngestLoadClient : IDisposable
{
    private readonly IngestWorkload _workload;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly byte[][] _buffers;
    private long _next;

    public IngestLoadClient(IngestWorkload workload, Uri baseAddress, string apiKey, int connections)
    {
        _workload = workload;
        _endpoint = new Uri(baseAddress, "/api/v1/readings");
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60), DefaultRequestVersion = HttpVersion.Version11 };
        _http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        _buffers = [.. Enumerable.Range(0, connections).Select(_ => new byte[workload.MaxBatchBytes])];
    }

    /// <summary>
    /// A shed worker waits the Retry-After the silo asked for (plus up to half again of jitter) before its next
    /// batch, as the README asks gateways to; otherwise it sends the next batch at once (a worst-case client).
    /// </summary>
    public bool WaitsRetryAfter { get; init; }

    /// <summary>Batches handed out so far (the next batch number).</summary>
    public long Issued => Interlocked.Read(ref _next);

    /// <summary>Makes <paramref name="k"/> the next batch (batches before it were sent by another client).</summary>
    public void StartAt(long k) => Interlocked.Exchange(ref _next, k);

    /// <summary>Where finished requests are counted; swapped by the caller between phases.</summary>
    public IngestPhaseStats Stats { get; set; } = new();

    /// <summary>Posts batches [<see cref="Issued"/>, <paramref name="to"/>) with all workers, then returns.</summary>
    public async Task SendRangeAsync(long to)
    {
        await Task.WhenAll(_buffers.Select(buffer => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref _next) - 1) < to)
            {
                while (await PostAsync(k, buffer) == Outcome.Shed)
                {
                }
            }
        })));
        Interlocked.Exchange(ref _next, to);
    }

    /// <summary>Posts batches until <paramref name="stop"/> is cancelled; every worker finishes its request in flight.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(_buffers.Select(buffer => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A shed batch is sent again (after Retry-After, or at once), as a gateway keeps what was not taken.
                var k = Interlocked.Increment(ref _next) - 1;
                while (await PostAsync(k, buffer) == Outcome.Shed && !stop.IsCancellationRequested)
                {
                }
            }
        })));

    /// <summary>Posts one body outside the workload (warm-up of a side rack) and returns its counts.</summary>
    public async Task<IngestPhaseStats> PostRawAsync(byte[] body)
    {
        var stats = new IngestPhaseStats();
        await PostAsync(-1, body, body.Length, stats);
        return stats;
    }

    public void Dispose() => _http.Dispose();

    private Task<Outcome> PostAsync(long k, byte[] buffer) => PostAsync(k, buffer, _workload.Write(k, buffer), Stats);

    private async Task<Outcome> PostAsync(long k, byte[] buffer, int length, IngestPhaseStats stats)
    {
        using var content = new ByteArrayContent(buffer, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.PostAsync(_endpoint, content);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
            {
                stats.WasShed(response.Headers.RetryAfter is not null);
                if (WaitsRetryAfter && response.Headers.RetryAfter?.Delta is { } wait)
                {
                    await Task.Delay(wait * (1 + (Random.Shared.NextDouble() / 2)));
                }

                return Outcome.Shed;
            }

            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity))
            {
                stats.Failed($"batch {k}: HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 400)))}");
                return Outcome.Failed;
            }

            using var json = JsonDocument.Parse(body);
            var accepted = json.RootElement.GetProperty("accepted").GetInt32();
            var duplicates = json.RootElement.GetProperty("duplicates").GetInt32();
            if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
            {
                stats.Failed($"batch {k}: 422 (accepted {accepted}): {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 400)))}");
            }

            stats.Completed(ms, accepted, duplicates);
            return Outcome.Answered;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            stats.Failed($"batch {k}: {exception.GetType().Name}: {exception.Message}");
            return Outcome.Failed;
        }
    }

    private enum Outcome
    {
        Answered,
        Shed,
        Failed,
    }
}
