using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>The rack event's hysteresis: the level held, and since when the evidence has been below it.</summary>
[GenerateSerializer, Immutable, Alias("hvs.rack-event-memory")]
public sealed record RackEventMemory([Id(0)] HazardLevel Level, [Id(1)] DateTimeOffset? ClearingSince)
{
    public static RackEventMemory None { get; } = new(HazardLevel.Normal, null);
}
