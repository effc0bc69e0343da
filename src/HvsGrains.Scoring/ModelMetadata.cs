namespace HvsGrains.Scoring;

/// <summary>Metadata stored in the ONNX model (training writes feature names, version and thresholds in <see cref="Custom"/>).</summary>
public sealed record ModelMetadata(
    string ProducerName,
    string GraphName,
    string Domain,
    string Description,
    long Version,
    IReadOnlyDictionary<string, string> Custom);
