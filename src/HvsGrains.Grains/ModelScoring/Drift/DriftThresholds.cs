namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>The bands a verdict is taken from (see <see cref="DriftOptions"/>), shown beside every verdict.</summary>
[GenerateSerializer, Immutable, Alias("hvs.drift-thresholds")]
public sealed record DriftThresholds(
    [property: Id(0)] double PsiModerate,
    [property: Id(1)] double PsiDrifted,
    [property: Id(2)] double KsModerate,
    [property: Id(3)] double KsDrifted,
    [property: Id(4)] long MinReadings);

/// <summary>A feature's verdict in one window: the worse of its PSI and KS bands.</summary>
[GenerateSerializer, Alias("hvs.drift-verdict")]
public enum DriftVerdict
{
    /// <summary>Fewer readings than <see cref="DriftThresholds.MinReadings"/>: no verdict yet.</summary>
    InsufficientData,

    /// <summary>PSI below PsiModerate and KS below KsModerate.</summary>
    Stable,

    /// <summary>PSI from PsiModerate, or KS from KsModerate, below the drifted bands.</summary>
    Moderate,

    /// <summary>PSI above PsiDrifted or KS above KsDrifted: an advisory is raised.</summary>
    Drifted,
}
