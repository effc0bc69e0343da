namespace HvsGrains.Grains.ModelScoring;

/// <summary>The custom metadata keys a hazard model carries (written by src/training's ONNX export).</summary>
public static class ModelMetadataKeys
{
    public const string FeatureSchemaVersion = "hvs.feature_schema_version";
    public const string FeatureSchemaHash = "hvs.feature_schema_hash";
    public const string FeatureNames = "hvs.feature_names";
    public const string ModelVersion = "hvs.model_version";
    public const string TrainingDataHash = "hvs.training_data_hash";
    public const string Thresholds = "hvs.thresholds";
    public const string Metrics = "hvs.metrics";
    public const string TrainedAt = "hvs.trained_at";
    public const string FeatureBaseline = "hvs.feature_baseline";
    public const string Anomaly = "hvs.anomaly";
}
