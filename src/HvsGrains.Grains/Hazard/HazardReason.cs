namespace HvsGrains.Grains.Hazard;

/// <summary>One rule's contribution, in words for the operator, e.g. "max surface 92.1 °C ≥ warning 80 °C".</summary>
public sealed record HazardReason(string Rule, string Detail, HazardLevel Level);
