using System.Text.Json;

namespace HvsGrains.Benchmarks.Scoring;

/// <summary>The bundled model's bytes and its training test vectors (real feature rows).</summary>
internal static class BundledModel
{
    public static byte[] Bytes() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "BundledModel", "hazard-model.onnx"));

    public static float[][] Rows()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BundledModel", "test-vectors.json")));
        return vectors.RootElement.GetProperty("inputs").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray())
            .ToArray();
    }
}
