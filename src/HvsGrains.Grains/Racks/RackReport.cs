using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// A module of a rack that is above Normal, as the warehouse sees it. <paramref name="At"/> is the
/// module's own reading time: racks' modules run at their own pace, so the rack's time is not theirs.
/// </summary>
public sealed record ModuleAlert(string ModuleId, HazardLevel Level, string? Reason, DateTimeOffset At);

/// <summary>What a rack tells the warehouse, sent only when it changes.</summary>
public sealed record RackReport(
    string RackId,
    HazardLevel Level,
    int ModuleCount,
    string? HottestModuleId,
    double? HottestTempC,
    PropagationRisk Propagation,
    IReadOnlyList<ModuleAlert> Alerts,
    DateTimeOffset At)
{
    public bool DiffersMateriallyFrom(RackReport? previous) =>
        previous is null
        || previous.Level != Level
        || previous.ModuleCount != ModuleCount
        || previous.HottestModuleId != HottestModuleId
        || Math.Abs((previous.HottestTempC ?? 0) - (HottestTempC ?? 0)) >= 1.0
        || previous.Propagation.Active != Propagation.Active
        || !previous.Propagation.Modules.SequenceEqual(Propagation.Modules)
        || !previous.Alerts.Select(a => (a.ModuleId, a.Level)).SequenceEqual(Alerts.Select(a => (a.ModuleId, a.Level)));
}
