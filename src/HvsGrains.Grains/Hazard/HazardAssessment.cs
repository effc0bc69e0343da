namespace HvsGrains.Grains.Hazard;

/// <summary>The level of a module and every rule holding it above Normal, highest level first.</summary>
public sealed record HazardAssessment(
    HazardLevel Level,
    IReadOnlyList<HazardReason> Reasons,
    DateTimeOffset EvaluatedAt,
    double? ModelProbability);
