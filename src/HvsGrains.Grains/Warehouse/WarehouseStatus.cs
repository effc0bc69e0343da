using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The site picture: its level, every rack's summary and the alarm counts; the silo adds the model
/// version in use (each module's probability names its own in the racks' module reports).
/// </summary>
public sealed record WarehouseStatus(
    string SiteId,
    HazardLevel Level,
    int RackCount,
    int ModuleCount,
    int OpenAlarms,
    int AcknowledgedAlarms,
    IReadOnlyList<RackReport> Racks,
    string? ModelVersion = null);
