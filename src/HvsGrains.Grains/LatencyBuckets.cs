using System.Diagnostics.Metrics;

namespace HvsGrains.Grains;

/// <summary>
/// Histogram bucket bounds in seconds for the latencies HvsGrains measures (0.5 ms to 10 s), given to
/// exporters as instrument advice: OpenTelemetry's default bounds are made for milliseconds.
/// </summary>
public static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>The advice every latency histogram in seconds is created with.</summary>
    public static readonly InstrumentAdvice<double> Advice = new() { HistogramBucketBoundaries = Seconds };
}
