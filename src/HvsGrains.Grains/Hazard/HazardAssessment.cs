namespace HvsGrains.Grains.Hazard;

/// <summary>The level of a module and every rule holding it above Normal, highest level first.</summary>
[GenerateSerializer, Immutable, Alias("hvs.hazard-assessment")]
public sealed record HazardAssessment(
    [Id(0)] HazardLevel Level,
    [Id(1)] IReadOnlyList<HazardReason> Reasons,
    [Id(2)] DateTimeOffset EvaluatedAt,
    [Id(3)] double? ModelProbability)
{
    /// <summary>
    /// The model's confirmed level before the corroboration cap: the rack grain lets it count when the
    /// module also deviates from its peers, a physical sign the module alone does not see.
    /// </summary>
    [Id(4)]
    public HazardLevel ModelLevel { get; init; }
}
