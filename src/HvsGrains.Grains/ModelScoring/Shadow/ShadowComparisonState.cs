using HvsGrains.Grains.ModelScoring.Catalog;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>What a shadow trial's grain persists (written on every silo report, a few seconds apart).</summary>
[GenerateSerializer, Alias("hvs.shadow-comparison-state")]
public sealed record ShadowComparisonState
{
    [Id(0)]
    public ModelCatalogEntry? Candidate { get; set; }

    [Id(1)]
    public string? ActiveVersionAtStart { get; set; }

    [Id(2)]
    public ShadowCounts Counts { get; set; } = ShadowCounts.None;

    /// <summary>The newest differences, oldest first, at most <see cref="ShadowOptions.DifferencesKept"/>.</summary>
    [Id(3)]
    public List<ShadowDifference> Differences { get; set; } = [];

    [Id(4)]
    public long DifferencesSeen { get; set; }

    [Id(5)]
    public Dictionary<string, ModuleAlarmTimes> AlarmTimes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When each silo last reported.</summary>
    [Id(6)]
    public Dictionary<string, DateTimeOffset> Silos { get; set; } = new(StringComparer.Ordinal);

    [Id(7)]
    public string? Ended { get; set; }

    [Id(8)]
    public string? EndedBy { get; set; }

    [Id(9)]
    public DateTimeOffset? EndedAt { get; set; }
}
