using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>What a rack grain persists: the last report of each module, its gas and the hysteresis of its event.</summary>
[GenerateSerializer, Alias("hvs.rack-state")]
public sealed record RackState
{
    [Id(0)]
    public Dictionary<string, ModuleReport> Modules { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rack gas detector's latest reading, null where gas comes with the module readings.</summary>
    [Id(1)]
    public GasSample? Gas { get; set; }

    [Id(2)]
    public RackEventMemory EventMemory { get; set; } = RackEventMemory.None;
}
