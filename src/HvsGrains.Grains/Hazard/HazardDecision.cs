namespace HvsGrains.Grains.Hazard;

/// <summary>The result of one evaluation: what to report, and the memory to pass to the next one.</summary>
public sealed record HazardDecision(HazardAssessment Assessment, HazardMemory Memory);
