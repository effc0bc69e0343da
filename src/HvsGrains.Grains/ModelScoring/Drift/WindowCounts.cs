namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>One window's bin counts at a silo: feature-major, <see cref="FeatureBaseline.MaxBins"/> slots per feature.</summary>
[GenerateSerializer, Immutable, Alias("hvs.drift-window-counts")]
public sealed record WindowCounts(
    [property: Id(0)] string Window,
    [property: Id(1)] TimeSpan Length,
    [property: Id(2)] long Readings,
    [property: Id(3)] long[] Counts);

/// <summary>What a silo tells the site's drift grain: the model its counts belong to and the counts of each window.</summary>
[GenerateSerializer, Immutable, Alias("hvs.silo-drift-report")]
public sealed record SiloDriftReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string? ModelSha256,
    [property: Id(2)] string? ModelVersion,
    [property: Id(3)] IReadOnlyList<WindowCounts> Windows,
    [property: Id(4)] FeatureBaseline? Baseline,
    [property: Id(5)] bool HasBaseline,
    [property: Id(6)] bool Enabled);

/// <summary>The drift grain's answer to a report: the site's drift, and whether it needs this model's baseline sent.</summary>
[GenerateSerializer, Immutable, Alias("hvs.drift-reply")]
public sealed record DriftReply(
    [property: Id(0)] bool NeedsBaseline,
    [property: Id(1)] ModelDriftView Site);
