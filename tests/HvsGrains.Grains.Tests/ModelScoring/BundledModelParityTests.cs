using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>The bundled model, run by the real ONNX Runtime from C#, gives Python's probabilities.</summary>
public sealed class BundledModelParityTests
{
    private static readonly string Bundle =
        Path.GetDirectoryName(RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")))!;

    [Fact]
    public void The_bundled_model_matches_this_silos_feature_code()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Bundle, "hazard-model.onnx"));
        using var session = new OnnxHazardModelSession(bytes);

        var info = HazardModelValidator.Validate(session, "bundled", ModelStore.Sha256(bytes), DateTimeOffset.UtcNow);

        Assert.Equal(FeatureSchema.Current.Hash, info.FeatureSchemaHash);
        Assert.True(info.Thresholds.Watch <= info.Thresholds.Warning && info.Thresholds.Warning <= info.Thresholds.Critical);
        Assert.False(string.IsNullOrEmpty(info.TrainingDataHash));
    }

    [Fact]
    public void CSharp_scores_of_the_training_test_vectors_match_Python_within_1e_5()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bundle, "test-vectors.json")));
        var root = vectors.RootElement;
        Assert.Equal(FeatureSchema.Current.Names, root.GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()!));
        var inputs = root.GetProperty("inputs").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        var expected = root.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
        Assert.True(inputs.Count >= 100);
        Assert.Contains(expected, p => p > 0.5);
        Assert.Contains(expected, p => p < 0.5);

        using var session = new OnnxHazardModelSession(File.ReadAllBytes(Path.Combine(Bundle, "hazard-model.onnx")));
        var one = inputs.Select(row => (double)session.ScoreOne(row)).ToList();
        var batch = new float[inputs.Count];
        session.ScoreBatch(inputs.SelectMany(row => row).ToArray(), inputs.Count, batch);

        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.True(Math.Abs(one[i] - expected[i]) <= 1e-5, $"row {i}: C# {one[i]} vs Python {expected[i]}");
            Assert.True(Math.Abs(batch[i] - expected[i]) <= 1e-5, $"row {i} (batch): C# {batch[i]} vs Python {expected[i]}");
        }
    }
}
