using System.Diagnostics;
using HvsGrains.Benchmarks.Ingest;

namespace HvsGrains.Benchmarks.Overload;

/// <summary>
/// Asks one read or health endpoint again and again (one request at a time, a pause between) on a connection of
/// its own, as an orchestrator's probe or a facility system would, and records how long each answer took.
/// </summary>
internal sealed class ReadProbe(HttpClient http, string path, TimeSpan interval)
{
    private long _failures;

    public string Path => path;

    public LatencyHistogram Latency { get; private set; } = new();

    public long Failures => Interlocked.Read(ref _failures);

    public string? FirstFailure { get; private set; }

    /// <summary>Starts a fresh histogram (the next phase).</summary>
    public void Reset()
    {
        Latency = new LatencyHistogram();
        Interlocked.Exchange(ref _failures, 0);
        FirstFailure = null;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(path, CancellationToken.None);
                await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                var latency = Latency;
                latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Failed($"HTTP {(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                Failed($"{exception.GetType().Name}: {exception.Message}");
            }

            try
            {
                await Task.Delay(interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public string Summary() => $"{path,-20} {Latency.Summary()}  failures {Failures}{(FirstFailure is null ? "" : $" (first: {FirstFailure})")}";

    private void Failed(string what)
    {
        if (Interlocked.Increment(ref _failures) == 1)
        {
            FirstFailure = what;
        }
    }
}
