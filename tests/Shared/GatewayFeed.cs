using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// Sensor gateways as a crash test drives them: each sends the readings of its own modules in time order,
/// one batch after the other (one reading per module every 10 s of sensor time), and keeps count of what the
/// silo acknowledged. A shed batch (503) is sent again after Retry-After; a gateway stops at its first unanswered
/// batch and keeps that batch to send again.
/// </summary>
public sealed class GatewayFeed
{
    private readonly int _readingsPerModule;
    private readonly DateTimeOffset _start;
    private readonly string[][] _modules;
    private readonly int[] _acknowledgedBatches;
    private readonly ConcurrentDictionary<int, int> _unanswered = new();
    private long _acknowledgedReadings;
    private long _redirectedBatches;

    public GatewayFeed(int gateways, int modulesPerGateway, int readingsPerModule, DateTimeOffset start, string prefix)
    {
        _readingsPerModule = readingsPerModule;
        _start = start;
        _modules = [.. Enumerable.Range(0, gateways).Select(g => Enumerable.Range(0, modulesPerGateway).Select(m => $"{prefix}G{g}_Module{m:D3}").ToArray())];
        _acknowledgedBatches = new int[gateways];
    }

    public IEnumerable<string> Modules => _modules.SelectMany(m => m);

    public long AcknowledgedReadings => Interlocked.Read(ref _acknowledgedReadings);

    /// <summary>Batches sent but never answered (in flight when the silo died).</summary>
    public int UnansweredBatches => _unanswered.Count;

    /// <summary>Runs every gateway until its first unanswered batch, or <paramref name="batchesPerGateway"/>.</summary>
    public Task RunAsync(HttpClient ingest, int batchesPerGateway) =>
        Task.WhenAll(Enumerable.Range(0, _modules.Length).Select(gateway => Task.Run(async () =>
        {
            for (var batch = _acknowledgedBatches[gateway]; batch < batchesPerGateway; batch++)
            {
                if (!await SendAsync(ingest, gateway, batch))
                {
                    _unanswered[gateway] = batch;
                    return;
                }
            }
        })));

    /// <summary>
    /// Runs every gateway to the end as it would feed a cluster: batch b of gateway g goes to front door (g + b) mod n,
    /// and when that one does not answer (its silo died), to the next, until one acknowledges it or
    /// <paramref name="giveUpAfter"/> passes (then the batch stays unanswered and the gateway stops).
    /// </summary>
    public Task RunRoundRobinAsync(IReadOnlyList<HttpClient> frontDoors, int batchesPerGateway, TimeSpan giveUpAfter) =>
        Task.WhenAll(Enumerable.Range(0, _modules.Length).Select(gateway => Task.Run(async () =>
        {
            for (var batch = _acknowledgedBatches[gateway]; batch < batchesPerGateway; batch++)
            {
                var deadline = DateTime.UtcNow + giveUpAfter;
                var door = (gateway + batch) % frontDoors.Count;
                while (!await SendAsync(frontDoors[door], gateway, batch))
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        _unanswered[gateway] = batch;
                        return;
                    }

                    Interlocked.Increment(ref _redirectedBatches);
                    door = (door + 1) % frontDoors.Count;
                    await Task.Delay(200);
                }
            }
        })));

    /// <summary>Times a batch went to another front door because the one it was sent to did not answer.</summary>
    public long RedirectedBatches => Interlocked.Read(ref _redirectedBatches);

    /// <summary>Sends every unanswered batch again, as a gateway retries; false when one is still not acknowledged.</summary>
    public async Task<bool> ResendUnansweredAsync(HttpClient ingest)
    {
        foreach (var (gateway, batch) in _unanswered.ToArray())
        {
            if (!await SendAsync(ingest, gateway, batch))
            {
                return false;
            }

            _unanswered.TryRemove(gateway, out _);
        }

        return true;
    }

    /// <summary>The module's acknowledged readings, oldest first.</summary>
    public IReadOnlyList<GatewayReading> AcknowledgedOf(string moduleId)
    {
        var gateway = Array.FindIndex(_modules, m => m.Contains(moduleId, StringComparer.Ordinal));
        var module = Array.IndexOf(_modules[gateway], moduleId);
        return [.. Enumerable.Range(0, Volatile.Read(ref _acknowledgedBatches[gateway]) * _readingsPerModule).Select(i => Reading(gateway, module, i))];
    }

    /// <summary>The module's readings in its gateway's unanswered batch (committed or not: the silo died before it said).</summary>
    public IReadOnlyList<GatewayReading> UnansweredOf(string moduleId)
    {
        var gateway = Array.FindIndex(_modules, m => m.Contains(moduleId, StringComparer.Ordinal));
        var module = Array.IndexOf(_modules[gateway], moduleId);
        return _unanswered.TryGetValue(gateway, out var batch)
            ? [.. Enumerable.Range(batch * _readingsPerModule, _readingsPerModule).Select(i => Reading(gateway, module, i))]
            : [];
    }

    private async Task<bool> SendAsync(HttpClient ingest, int gateway, int batch)
    {
        var readings = Enumerable.Range(batch * _readingsPerModule, _readingsPerModule)
            .SelectMany(i => Enumerable.Range(0, _modules[gateway].Length).Select(m => Reading(gateway, m, i)))
            .ToList();
        if (!await PostUntilAnsweredAsync(ingest, readings))
        {
            return false;
        }

        // Batches of one gateway are acknowledged in order: the count is the whole record.
        Volatile.Write(ref _acknowledgedBatches[gateway], Math.Max(_acknowledgedBatches[gateway], batch + 1));
        Interlocked.Add(ref _acknowledgedReadings, readings.Count);
        return true;
    }

    /// <summary>Posts the batch, again after Retry-After while the silo sheds it (503); true once it is acknowledged.</summary>
    private static async Task<bool> PostUntilAnsweredAsync(HttpClient ingest, List<GatewayReading> readings)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await ingest.PostAsJsonAsync("/api/v1/readings", readings);
                if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    return response.IsSuccessStatusCode;
                }

                var retryAfter = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                await Task.Delay(retryAfter < TimeSpan.FromSeconds(1) ? retryAfter : TimeSpan.FromSeconds(1));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Reading <paramref name="index"/> of a module: values that move, so a missing or repeated reading shows in the windows.</summary>
    private GatewayReading Reading(int gateway, int module, int index)
    {
        var wave = Math.Sin((index + (module * 7)) / 9.0);
        return new GatewayReading(
            _modules[gateway][module], $"Rack{gateway}", _start.AddSeconds(10 * index),
            VoltageV: 51.2 + (0.3 * wave), CurrentA: 12 + (4 * wave), SocPercent: 60 + (10 * wave),
            AvgSurfaceTempC: 26 + (1.5 * wave) + (index % 3 * 0.1), MaxSurfaceTempC: 27 + (1.5 * wave) + (index % 5 * 0.1), AmbientTempC: 23,
            CoPpm: 2 + (index % 4 * 0.25), H2Ppm: 1 + (index % 3 * 0.2), VocPpm: 0.5 + (index % 2 * 0.1));
    }
}

/// <summary>One reading as a gateway posts it (the front door's JSON names).</summary>
public sealed record GatewayReading(
    string ModuleId, string RackId, DateTimeOffset Timestamp, double VoltageV, double CurrentA, double SocPercent,
    double AvgSurfaceTempC, double MaxSurfaceTempC, double AmbientTempC, double CoPpm, double H2Ppm, double VocPpm);
