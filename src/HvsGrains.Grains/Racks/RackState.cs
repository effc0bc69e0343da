using HvsGrains.Grains.Modules;

namespace HvsGrains.Grains.Racks;

/// <summary>What a rack grain persists: the last report of each module.</summary>
public sealed class RackState
{
    public Dictionary<string, ModuleReport> Modules { get; set; } = new(StringComparer.Ordinal);
}
