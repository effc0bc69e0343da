using System.Text.Json.Serialization;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Drift;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// What is known of a validated model: its version, where it came from, its thresholds and figures, and its
/// anomaly score's settings and its drift baseline (null: the model has none).
/// </summary>
public sealed record HazardModelInfo(
    string Version,
    string Source,
    string Sha256,
    ModelThresholds Thresholds,
    string FeatureSchemaVersion,
    string FeatureSchemaHash,
    string? TrainingDataHash,
    string? TrainedAt,
    string? Metrics,
    DateTimeOffset LoadedAt,
    AnomalySettings? Anomaly = null,
    [property: JsonIgnore] FeatureBaseline? FeatureBaseline = null);
