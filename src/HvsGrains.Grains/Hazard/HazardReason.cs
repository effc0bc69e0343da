namespace HvsGrains.Grains.Hazard;

/// <summary>One rule's contribution, in words for the operator, e.g. "max surface 92.1 °C ≥ warning 80 °C".</summary>
[GenerateSerializer, Immutable, Alias("hvs.hazard-reason")]
public sealed record HazardReason([Id(0)] string Rule, [Id(1)] string Detail, [Id(2)] HazardLevel Level);
