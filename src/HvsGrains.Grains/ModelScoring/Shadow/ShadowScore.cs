using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// The shadow model's opinion of a vector the active model scored in the same run, and the silo's tally of its trial,
/// which the module's comparison goes into. Never persisted and never part of the module's own decision.
/// </summary>
public sealed record ShadowScore(double Probability, string ModelVersion, ModelThresholds Thresholds, ShadowTally Tally);
