using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>A rack as facility systems see it.</summary>
public sealed record RackStatus(
    string RackId,
    HazardLevel Level,
    string? HottestModuleId,
    double? HottestTempC,
    PropagationRisk Propagation,
    IReadOnlyList<ModuleReport> Modules);
