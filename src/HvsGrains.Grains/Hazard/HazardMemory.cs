namespace HvsGrains.Grains.Hazard;

/// <summary>What the policy must remember between readings for hysteresis; serializable grain state.</summary>
[GenerateSerializer, Immutable, Alias("hvs.hazard-memory")]
public sealed record HazardMemory
{
    public static HazardMemory Initial { get; } = new();

    [Id(0)]
    public HazardLevel Level { get; init; }

    /// <summary>Latches of rules above Normal only; a missing rule is Normal.</summary>
    [Id(1)]
    public IReadOnlyList<RuleLatch> Latches { get; init; } = [];

    /// <summary>The model's unconfirmed levels of the last readings, newest last (see ModelConfirmationReadings).</summary>
    [Id(2)]
    public IReadOnlyList<HazardLevel> RecentModelLevels { get; init; } = [];

    public RuleLatch? Find(string rule)
    {
        // A loop, not LINQ: the policy asks once per rule and reading.
        for (var i = 0; i < Latches.Count; i++)
        {
            if (Latches[i].Rule == rule)
            {
                return Latches[i];
            }
        }

        return null;
    }
}
