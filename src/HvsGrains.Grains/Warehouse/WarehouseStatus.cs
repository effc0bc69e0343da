using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The site picture: its level, every rack's summary and the alarm counts; the silo adds the model
/// version in use (each module's probability names its own in the racks' module reports) and the model drift
/// advisory, if any (an advisory, never a hazard level).
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.warehouse-status")]
public sealed record WarehouseStatus(
    [Id(0)] string SiteId,
    [Id(1)] HazardLevel Level,
    [Id(2)] int RackCount,
    [Id(3)] int ModuleCount,
    [Id(4)] int OpenAlarms,
    [Id(5)] int AcknowledgedAlarms,
    [Id(6)] IReadOnlyList<RackReport> Racks,
    [Id(7)] string? ModelVersion = null,
    [Id(8)] DriftAdvisory? ModelDrift = null);
