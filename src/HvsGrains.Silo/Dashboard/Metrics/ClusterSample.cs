namespace HvsGrains.Silo.Dashboard.Metrics;

/// <summary>
/// One second of the silo as its meters saw it. Counters are cumulative since the collector started
/// (rates are differences of two samples); histograms hold only this second's values.
/// </summary>
public sealed record ClusterSample(
    DateTimeOffset At,
    double CpuPercent,
    long WorkingSetBytes,
    long GcHeapBytes,
    IReadOnlyDictionary<string, long> Activations,
    IReadOnlyDictionary<GrainMethodKey, long> Calls,
    IReadOnlyDictionary<GrainMethodKey, long> Failures,
    IReadOnlyDictionary<string, LatencyHistogram> TurnDurations,
    IReadOnlyDictionary<GrainMethodKey, LatencyHistogram> MethodTurnDurations,
    IReadOnlyDictionary<string, int> MailboxDepth,
    IReadOnlyDictionary<string, int> MailboxMaxDepth,
    IReadOnlyDictionary<string, long> IngestedReadings,
    LatencyHistogram LogCommit,
    LatencyHistogram Scoring,
    IReadOnlyDictionary<string, long> ScoringRefusals,
    string? ModelVersion);

/// <summary>A grain method as the runtime's metrics tag it.</summary>
public readonly record struct GrainMethodKey(string GrainType, string Method)
{
    public override string ToString() => $"{GrainType}.{Method}";
}
