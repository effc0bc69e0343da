using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// A module of a rack that is above Normal, as the warehouse sees it. <paramref name="At"/> is the
/// module's own reading time: racks' modules run at their own pace, so the rack's time is not theirs.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.module-alert")]
public sealed record ModuleAlert([Id(0)] string ModuleId, [Id(1)] HazardLevel Level, [Id(2)] string? Reason, [Id(3)] DateTimeOffset At);

/// <summary>A module of the rack with sensor channels at fault (JSON names); <paramref name="At"/> is the module's reading time.</summary>
[GenerateSerializer, Immutable, Alias("hvs.sensor-advisory")]
public sealed record SensorAdvisory([Id(0)] string ModuleId, [Id(1)] IReadOnlyList<string> Channels, [Id(2)] DateTimeOffset At);

/// <summary>What a rack tells the warehouse, sent only when it changes.</summary>
[GenerateSerializer, Immutable, Alias("hvs.rack-report")]
public sealed record RackReport(
    [Id(0)] string RackId,
    [Id(1)] HazardLevel Level,
    [Id(2)] int ModuleCount,
    [Id(3)] string? HottestModuleId,
    [Id(4)] double? HottestTempC,
    [Id(5)] PropagationRisk Propagation,
    [Id(6)] IReadOnlyList<ModuleAlert> Alerts,
    [Id(7)] DateTimeOffset At,
    [Id(20)] IReadOnlyList<SensorAdvisory>? SensorFaults = null,
    [Id(22)] IReadOnlyList<ModuleAnomaly>? Anomalies = null)
{
    /// <summary>The rack's one physical event (null from racks of earlier releases): one alarm per event.</summary>
    [Id(8)]
    public RackEvent? Event { get; init; }

    /// <summary>
    /// Increases with every report of one rack (an activation starts from the clock's ticks, above its predecessor's):
    /// reports go one-way and may arrive out of order, and the warehouse keeps the newest. 0 = unknown (older releases).
    /// </summary>
    [Id(9)]
    public long Sequence { get; init; }

    public bool DiffersMateriallyFrom(RackReport? previous) =>
        previous is null
        || previous.Level != Level
        || previous.ModuleCount != ModuleCount
        || previous.HottestModuleId != HottestModuleId
        || Math.Abs((previous.HottestTempC ?? 0) - (HottestTempC ?? 0)) >= 1.0
        || previous.Propagation.Active != Propagation.Active
        || !previous.Propagation.Modules.SequenceEqual(Propagation.Modules)
        || !previous.Alerts.Select(a => (a.ModuleId, a.Level)).SequenceEqual(Alerts.Select(a => (a.ModuleId, a.Level)))
        || !(previous.SensorFaults ?? []).Select(f => (f.ModuleId, string.Join(',', f.Channels))).SequenceEqual((SensorFaults ?? []).Select(f => (f.ModuleId, string.Join(',', f.Channels))))
        || !(previous.Anomalies ?? []).Select(a => a.ModuleId).SequenceEqual((Anomalies ?? []).Select(a => a.ModuleId))
        || (Event is not null && Event.DiffersMateriallyFrom(previous.Event));
}
