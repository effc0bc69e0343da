using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace HvsGrains.Grains.Tests.Anomaly;

/// <summary>The bundled model's anomaly score, run by the real ONNX Runtime from C#, gives Python's (sklearn's) scores.</summary>
public sealed class BundledAnomalyParityTests : IDisposable
{
    private static readonly string Bundle =
        Path.GetDirectoryName(RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")))!;

    private readonly DataFolder _data = new();
    private readonly TestMeterFactory _meters = new();

    private static byte[] ModelBytes => File.ReadAllBytes(Path.Combine(Bundle, "hazard-model.onnx"));

    [Fact]
    public void CSharp_anomaly_scores_of_the_test_vectors_match_sklearn_within_1e_5_and_leave_the_probabilities_alone()
    {
        var (inputs, expected, _) = Vectors();
        var rows = inputs.SelectMany(r => r).ToArray();
        using var withScore = new OnnxHazardModelSession(ModelBytes, new OnnxScoringOptions { AnomalyOutputName = OnnxHazardModelSession.AnomalyScoreOutputName });
        using var without = new OnnxHazardModelSession(ModelBytes);
        var probabilities = new float[inputs.Count];
        var anomaly = new float[inputs.Count];
        var probabilitiesAlone = new float[inputs.Count];

        withScore.ScoreBatch(rows, inputs.Count, probabilities, anomaly);
        without.ScoreBatch(rows, inputs.Count, probabilitiesAlone);

        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.True(Math.Abs(anomaly[i] - expected[i]) <= 1e-5, $"row {i}: C# {anomaly[i]} vs sklearn {expected[i]}");
            Assert.Equal(probabilitiesAlone[i], probabilities[i]);
        }
    }

    [Fact]
    public async Task The_grains_scorer_hands_each_vector_its_anomaly_score_and_the_models_threshold()
    {
        var (inputs, expected, threshold) = Vectors();
        using var models = Manager(enabled: true);
        models.LoadAtStartup();
        using var scorer = new BatchingHazardScorer(models, new ScoringMetrics(_meters));

        var scores = await Task.WhenAll(inputs.Select(row => scorer.ScoreAsync(Vector(row)).AsTask()));

        Assert.Equal(threshold, models.Current!.Anomaly!.Threshold);
        Assert.Equal(100, models.Current.Anomaly.Trees);
        Assert.Equal(256, models.Current.Anomaly.MaxSamples);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.True(Math.Abs(scores[i]!.AnomalyScore!.Value - expected[i]) <= 1e-5, $"row {i}: {scores[i]!.AnomalyScore} vs sklearn {expected[i]}");
            Assert.Equal(threshold, scores[i]!.AnomalyThreshold);
        }

        Assert.Contains(scores, s => s!.AnomalyScore >= threshold);
        Assert.Contains(scores, s => s!.AnomalyScore < threshold);
    }

    [Fact]
    public void With_anomaly_scoring_off_no_score_is_asked_for_and_the_probabilities_are_the_same()
    {
        var (inputs, _, _) = Vectors();
        using var on = Manager(enabled: true);
        using var off = Manager(enabled: false);
        on.LoadAtStartup();
        off.LoadAtStartup();

        var withScore = inputs.Select(row => on.Score(Vector(row))!).ToList();
        var withoutScore = inputs.Select(row => off.Score(Vector(row))!).ToList();

        Assert.NotNull(off.Current!.Anomaly); // the model still has it; this silo does not use it
        Assert.All(withoutScore, s => Assert.Null(s.AnomalyScore));
        Assert.All(withoutScore, s => Assert.Null(s.AnomalyThreshold));
        Assert.Equal(withScore.Select(s => s.Probability), withoutScore.Select(s => s.Probability));
    }

    [Fact]
    public void A_silo_with_anomaly_scoring_off_runs_a_graph_without_the_anomaly_trees()
    {
        // ONNX Runtime runs every node whatever outputs a run asks for (its profile lists the nodes it ran) ...
        Assert.Contains("anomaly_trees", ProfiledNodes(ModelBytes, ["probabilities"]));

        // ... so the session takes the anomaly trees out of the graph when their score is not asked for.
        var (pruned, dropped) = ModelGraph.WithoutOutput(ModelBytes, OnnxHazardModelSession.AnomalyScoreOutputName);
        var ran = ProfiledNodes(pruned, ["probabilities"]);
        Assert.True(dropped);
        Assert.Contains("trees", ran);
        Assert.DoesNotContain(ran, node => node.StartsWith("anomaly_", StringComparison.Ordinal));
        using var session = new OnnxHazardModelSession(ModelBytes);
        using var full = new OnnxHazardModelSession(ModelBytes, new OnnxScoringOptions { AnomalyOutputName = OnnxHazardModelSession.AnomalyScoreOutputName });
        Assert.Null(session.AnomalyOutputName);
        Assert.Contains(OnnxHazardModelSession.AnomalyScoreOutputName, session.OutputNames); // the model declares it
        var (inputs, _, _) = Vectors();
        Assert.All(inputs, row => Assert.Equal(full.ScoreOne(row), session.ScoreOne(row)));
        Assert.False(ModelGraph.WithoutOutput(pruned, OnnxHazardModelSession.AnomalyScoreOutputName).Dropped);
    }

    private HashSet<string> ProfiledNodes(byte[] model, string[] outputs)
    {
        var (inputs, _, _) = Vectors();
        using var options = new SessionOptions { EnableProfiling = true, ProfileOutputPathPrefix = Path.Combine(_data.Path, "profile-" + Guid.NewGuid().ToString("N")) };
        using var session = new InferenceSession(model, options);
        using var runOptions = new RunOptions();
        var rows = inputs.Take(4).SelectMany(r => r).ToArray();
        using var input = OrtValue.CreateTensorValueFromMemory(rows, [4, inputs[0].Length]);
        using (session.Run(runOptions, [session.InputNames[0]], [input], outputs))
        {
        }

        using var profile = JsonDocument.Parse(File.ReadAllText(session.EndProfiling()));
        return [.. profile.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("cat").GetString() == "Node")
            .Select(e => e.GetProperty("name").GetString()!.Split("_kernel_time")[0])];
    }

    private HazardModelManager Manager(bool enabled) => new(
        Options.Create(new ModelOptions { BundledModelPath = Path.Combine(Bundle, "hazard-model.onnx"), Directory = Path.Combine(_data.Path, "models") }),
        new ScoringMetrics(_meters),
        TimeProvider.System,
        NullLogger<HazardModelManager>.Instance,
        Options.Create(new HvsGrains.Grains.Anomaly.AnomalyOptions { Enabled = enabled }));

    private static FeatureVector Vector(float[] row) => new(DateTimeOffset.UnixEpoch, row, 0x1FF, 0);

    private static (List<float[]> Inputs, List<double> Scores, double Threshold) Vectors()
    {
        using var vectors = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bundle, "anomaly-test-vectors.json")));
        var root = vectors.RootElement;
        Assert.Equal(FeatureSchema.Current.Names, root.GetProperty("feature_names").EnumerateArray().Select(n => n.GetString()!));
        var inputs = root.GetProperty("inputs").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        var scores = root.GetProperty("scores").EnumerateArray().Select(p => p.GetDouble()).ToList();
        Assert.True(inputs.Count >= 150);
        return (inputs, scores, root.GetProperty("threshold").GetDouble());
    }

    public void Dispose()
    {
        _meters.Dispose();
        _data.Dispose();
    }
}
