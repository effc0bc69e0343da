namespace HvsGrains.Scoring.Tests;

/// <summary>One real ONNX Runtime (the library the build fetched) shared by a test class.</summary>
public sealed class RuntimeFixture : IDisposable
{
    public OnnxHazardModelRuntime Runtime { get; } = new();

    public static byte[] Model(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", name));

    public void Dispose() => Runtime.Dispose();
}
