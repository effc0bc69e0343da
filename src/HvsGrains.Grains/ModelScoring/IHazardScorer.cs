using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Shadow;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// A model's opinion of one feature vector, with the version that gave it (and the shadow model's, when one runs).
/// <paramref name="AnomalyScore"/> and its <paramref name="AnomalyThreshold"/> are null unless the model has an anomaly
/// score and Hvs:Anomaly:Enabled is on.
/// </summary>
public sealed record HazardScore(
    double Probability, string ModelVersion, ModelThresholds Thresholds, double? AnomalyScore = null, double? AnomalyThreshold = null, ShadowScore? Shadow = null);

/// <summary>
/// Scores feature vectors with the silo's current model (one shared, thread-safe instance).
/// Returns null when no usable model is loaded: the safety rules then decide alone.
/// </summary>
public interface IHazardScorer
{
    ValueTask<HazardScore?> ScoreAsync(FeatureVector features);
}

/// <summary>The scorer of a silo without a model: rules only.</summary>
public sealed class RulesOnlyScorer : IHazardScorer
{
    public ValueTask<HazardScore?> ScoreAsync(FeatureVector features) => ValueTask.FromResult<HazardScore?>(null);
}
