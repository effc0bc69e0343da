namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// The site's input drift against the active model's training baseline (<c>GET /api/v1/model/drift</c>):
/// per window and feature the statistics, the counts and a verdict with its thresholds, and the advisory if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.model-drift-view")]
public sealed record ModelDriftView(
    [property: Id(0)] string SiteId,
    [property: Id(1)] string? ModelVersion,
    [property: Id(2)] string? ModelSha256,
    [property: Id(3)] string? Unavailable,
    [property: Id(4)] DriftThresholds Thresholds,
    [property: Id(5)] IReadOnlyList<DriftWindowView> Windows,
    [property: Id(6)] DriftAdvisory? Advisory,
    [property: Id(7)] int Silos,
    [property: Id(8)] string? BaselineSource,
    [property: Id(9)] int BaselineRows);

/// <summary>One sliding window of the site: how many readings it holds and every feature's drift in it.</summary>
[GenerateSerializer, Immutable, Alias("hvs.drift-window-view")]
public sealed record DriftWindowView(
    [property: Id(0)] string Window,
    [property: Id(1)] TimeSpan Length,
    [property: Id(2)] long Readings,
    [property: Id(3)] IReadOnlyList<FeatureDrift> Features);

/// <summary>One feature in one window: PSI, KS, the verdict, and the live bin counts beside the baseline's shares.</summary>
[GenerateSerializer, Immutable, Alias("hvs.feature-drift")]
public sealed record FeatureDrift(
    [property: Id(0)] string Feature,
    [property: Id(1)] double? Psi,
    [property: Id(2)] double? Ks,
    [property: Id(3)] DriftVerdict Verdict,
    [property: Id(4)] long[] Counts,
    [property: Id(5)] double[] BaselineProportions);

/// <summary>
/// An advisory that the model's inputs have left its training distribution: the model may be less reliable. It is
/// never a hazard level and never an alarm; the safety rules and the model's levels are untouched by it.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.drift-advisory")]
public sealed record DriftAdvisory(
    [property: Id(0)] string Message,
    [property: Id(1)] IReadOnlyList<string> Features,
    [property: Id(2)] string ModelVersion,
    [property: Id(3)] DateTimeOffset Since);
