using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// The rack event's hysteresis: the level held, since when the evidence has been below it, and since when
/// it has been above it (a rise above Watch must last <see cref="RackEvidenceOptions.ConfirmationTime"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.rack-event-memory")]
public sealed record RackEventMemory([Id(0)] HazardLevel Level, [Id(1)] DateTimeOffset? ClearingSince, [Id(2)] DateTimeOffset? RisingSince = null)
{
    public static RackEventMemory None { get; } = new(HazardLevel.Normal, null);
}
