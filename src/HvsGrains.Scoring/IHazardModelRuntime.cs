namespace HvsGrains.Scoring;

/// <summary>Creates model sessions; the one place an official ONNX Runtime package would plug in.</summary>
public interface IHazardModelRuntime
{
    /// <summary>Version of the underlying runtime, e.g. "1.30.0".</summary>
    string Version { get; }

    /// <summary>Loads a model from its serialized bytes.</summary>
    /// <exception cref="OnnxRuntimeException">The runtime rejected the model (ORT's message is kept).</exception>
    /// <exception cref="NotSupportedException">The model's inputs/outputs do not fit the hazard-model contract.</exception>
    IHazardModelSession Load(byte[] modelBytes);
}
