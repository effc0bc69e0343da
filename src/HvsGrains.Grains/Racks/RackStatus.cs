using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>A rack as facility systems see it.</summary>
[GenerateSerializer, Immutable, Alias("hvs.rack-status")]
public sealed record RackStatus(
    [Id(0)] string RackId,
    [Id(1)] HazardLevel Level,
    [Id(2)] string? HottestModuleId,
    [Id(3)] double? HottestTempC,
    [Id(4)] PropagationRisk Propagation,
    [Id(5)] IReadOnlyList<ModuleReport> Modules)
{
    /// <summary>The rack's one physical event: level, module most likely at fault, evidence.</summary>
    [Id(6)]
    public RackEvent? Event { get; init; }

    /// <summary>The rack gas detector's latest reading, if the rack has one.</summary>
    [Id(7)]
    public GasSample? Gas { get; init; }
}
