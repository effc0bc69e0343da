namespace HvsGrains.Grains.Hazard;

/// <summary>
/// The latched level of one rule. <paramref name="ClearingSince"/> is when its measure went below the
/// clear threshold of that level (null while the cause persists); the level drops once that has
/// lasted the hold time.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.rule-latch")]
public sealed record RuleLatch([Id(0)] string Rule, [Id(1)] HazardLevel Level, [Id(2)] DateTimeOffset? ClearingSince);
