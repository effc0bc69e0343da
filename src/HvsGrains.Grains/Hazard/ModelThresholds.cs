namespace HvsGrains.Grains.Hazard;

/// <summary>Runaway-probability cut-offs shipped in a model's metadata (chosen on its validation set).</summary>
public sealed record ModelThresholds(double Watch, double Warning, double Critical);
