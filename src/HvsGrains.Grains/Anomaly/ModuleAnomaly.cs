namespace HvsGrains.Grains.Anomaly;

/// <summary>
/// A module of a rack with an anomaly advisory, in the rack's report and so in the warehouse's site picture (never in the
/// alarm list: an advisory is not an alarm). <paramref name="At"/> is the module's reading time.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.module-anomaly")]
public sealed record ModuleAnomaly([Id(0)] string ModuleId, [Id(1)] AnomalyAdvisory Advisory, [Id(2)] DateTimeOffset At);
