namespace HvsGrains.Grains.Hazard;

/// <summary>What the policy must remember between readings for hysteresis; serializable grain state.</summary>
public sealed record HazardMemory
{
    public static HazardMemory Initial { get; } = new();

    public HazardLevel Level { get; init; }

    /// <summary>Latches of rules above Normal only; a missing rule is Normal.</summary>
    public IReadOnlyList<RuleLatch> Latches { get; init; } = [];

    /// <summary>The model's unconfirmed levels of the last readings, newest last (see ModelConfirmationReadings).</summary>
    public IReadOnlyList<HazardLevel> RecentModelLevels { get; init; } = [];

    public RuleLatch? Find(string rule) => Latches.FirstOrDefault(l => l.Rule == rule);
}
