using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>What a rack grain persists: the last report of each module.</summary>
[GenerateSerializer, Alias("hvs.rack-state")]
public sealed record RackState
{
    [Id(0)]
    public Dictionary<string, ModuleReport> Modules { get; set; } = new(StringComparer.Ordinal);
}
