namespace HvsGrains.Grains.Hazard;

/// <summary>
/// The latched level of one rule. <paramref name="ClearingSince"/> is when its measure went below the
/// clear threshold of that level (null while the cause persists); the level drops once that has
/// lasted the hold time.
/// </summary>
public sealed record RuleLatch(string Rule, HazardLevel Level, DateTimeOffset? ClearingSince);
