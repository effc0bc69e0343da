using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>The site picture: its level, every rack's summary and the alarm counts.</summary>
public sealed record WarehouseStatus(
    string SiteId,
    HazardLevel Level,
    int RackCount,
    int ModuleCount,
    int OpenAlarms,
    int AcknowledgedAlarms,
    IReadOnlyList<RackReport> Racks);
