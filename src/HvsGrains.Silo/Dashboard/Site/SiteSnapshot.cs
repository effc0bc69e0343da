using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>
/// What the site page draws from the grains: the warehouse, every rack with all its modules' last reports,
/// the active alarms plus the most recently cleared ones. (The feed and model figures are this silo's own meters,
/// sent as an event of their own: see <see cref="FeedFigures"/>.)
/// </summary>
public sealed record SiteSnapshot(
    string SiteId,
    HazardLevel Level,
    int RackCount,
    int ModuleCount,
    int OpenAlarms,
    int AcknowledgedAlarms,
    IReadOnlyList<RackView> Racks,
    IReadOnlyList<Alarm> Alarms);

/// <summary>A rack with every module that has reported (the warehouse keeps only those above Normal).</summary>
public sealed record RackView(
    string RackId,
    HazardLevel Level,
    string? HottestModuleId,
    double? HottestTempC,
    PropagationRisk Propagation,
    IReadOnlyList<ModuleReport> Modules);
