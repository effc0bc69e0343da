using System.Diagnostics;
using HvsGrains.Grains.ModelScoring.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace HvsGrains.Grains.Tests.ModelScoring.Onnx;

/// <summary>The hazard-model contract on the real ONNX Runtime (Microsoft.ML.OnnxRuntime) with small hand-checkable models.</summary>
public sealed class OnnxHazardModelSessionTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-6f;

    // Rows of the tree model (features temp_c, temp_rate, co_ppm) with P(class 1) worked out by hand from
    // make_test_models.py: tree 0 gives 0.05 | 0.20 | 0.40, tree 1 gives 0.10 | 0.35 (thresholds hit exactly on purpose).
    public static TheoryData<float, float, float, float> TreeCases => new()
    {
        { 0.5f, 0.25f, 0f, 0.05f + 0.35f },   // x0 <= 0.5 (equal), x1 < 0.25 false (equal)
        { 0f, 0f, 100f, 0.05f + 0.10f },
        { 1f, 0.1f, 10f, 0.20f + 0.10f },     // x2 <= 10 (equal)
        { 1f, 1f, 10.5f, 0.40f + 0.35f },
        { 0.51f, 0.2f, 11f, 0.40f + 0.10f },
        { 2f, 0.3f, -5f, 0.20f + 0.35f },
    };

    [Fact]
    public void Runtime_reports_the_package_version()
    {
        Assert.True(OnnxRuntimeInfo.TryGetVersion(out var version, out var reason), reason);
        Assert.Equal("1.31.1", version);
    }

    [Fact]
    public void Tree_model_exposes_names_feature_count_and_metadata()
    {
        using var session = Load("tree_classifier.onnx");

        Assert.Equal(["features"], session.InputNames);
        Assert.Equal(["label", "probabilities"], session.OutputNames);
        Assert.Equal(3, session.FeatureCount);
        Assert.Equal("probabilities", session.ProbabilityOutputName);

        var md = session.Metadata;
        Assert.Equal("hvsgrains-test", md.ProducerName);
        Assert.Equal("hazard_tree_test", md.GraphName);
        Assert.Equal("hvsgrains", md.Domain);
        Assert.Equal("Tiny hand-checkable tree ensemble for scoring tests.", md.Description);
        Assert.Equal(3, md.Version);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["feature_names"] = "temp_c,temp_rate_c_per_min,co_ppm",
                ["model_version"] = "2026.11.22-test",
                ["thresholds"] = """{"watch":0.3,"warning":0.5,"critical":0.7}""",
            },
            md.CustomMetadataMap);
    }

    [Theory]
    [MemberData(nameof(TreeCases))]
    public void Tree_ScoreOne_matches_hand_computed_probability(float x0, float x1, float x2, float expected)
    {
        using var session = Load("tree_classifier.onnx");

        Assert.Equal(expected, session.ScoreOne([x0, x1, x2]), Tolerance);
    }

    [Fact]
    public void Tree_ScoreBatch_matches_hand_computed_probabilities()
    {
        using var session = Load("tree_classifier.onnx");
        var cases = TreeCases.Select(c => (float[])[(float)c[0], (float)c[1], (float)c[2], (float)c[3]]).ToArray();
        var features = cases.SelectMany(c => c[..3]).ToArray();
        var probabilities = new float[cases.Length + 2]; // larger than needed: only the first rows are written
        probabilities.AsSpan().Fill(-1f);

        session.ScoreBatch(features, cases.Length, probabilities);

        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(cases[i][3], probabilities[i], Tolerance);
        }

        Assert.Equal(-1f, probabilities[^1]);
    }

    [Fact]
    public void Logistic_ScoreBatch_and_ScoreOne_match_sigmoid_of_linear_score()
    {
        using var session = Load("logistic.onnx");
        Assert.Equal(4, session.FeatureCount);
        Assert.Equal("a,b,c,d", session.Metadata.CustomMetadataMap["feature_names"]);

        const int rows = 257;
        var random = new Random(42);
        var features = Enumerable.Range(0, rows * 4).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var probabilities = new float[rows];

        session.ScoreBatch(features, rows, probabilities);

        for (var r = 0; r < rows; r++)
        {
            var f = features.AsSpan(r * 4, 4);
            Assert.Equal(Logistic(f), probabilities[r], Tolerance);
            Assert.Equal(probabilities[r], session.ScoreOne(f), Tolerance);
        }
    }

    [Fact]
    public void Empty_batch_is_a_no_op()
    {
        using var session = Load("logistic.onnx");

        session.ScoreBatch([], 0, []);
    }

    [Fact]
    public void Corrupt_model_bytes_raise_OnnxRuntimeException_with_ort_message()
    {
        var bytes = File.ReadAllBytes(ModelPath("tree_classifier.onnx"));
        var corrupt = bytes.Take(bytes.Length / 2).Concat(Enumerable.Repeat((byte)0xFF, 64)).ToArray();

        var ex = Assert.Throws<OnnxRuntimeException>(() => new OnnxHazardModelSession(corrupt));

        output.WriteLine(ex.Message);
        Assert.Contains("InvalidProtobuf", ex.Message, StringComparison.Ordinal);
        Assert.Contains("protobuf parsing failed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_model_bytes_are_rejected_before_ort() =>
        Assert.Throws<ArgumentException>(() => new OnnxHazardModelSession([]));

    [Fact]
    public void Wrong_feature_count_gives_clear_argument_exception()
    {
        using var session = Load("tree_classifier.onnx");

        var one = Assert.Throws<ArgumentException>(() => session.ScoreOne([1f, 2f]));
        Assert.Contains("1 x 3 = 3", one.Message, StringComparison.Ordinal);
        Assert.Contains("got 2", one.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentException>(() => session.ScoreBatch(new float[7], 2, new float[2]));
        Assert.Throws<ArgumentException>(() => session.ScoreBatch(new float[6], 2, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.ScoreBatch([], -1, []));
    }

    [Fact]
    public void ZipMap_output_is_rejected_with_advice()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Load("tree_classifier_zipmap.onnx"));

        Assert.Contains("ZipMap disabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_probability_output_must_exist_and_be_a_float_tensor()
    {
        var label = Assert.Throws<NotSupportedException>(() => Load("tree_classifier.onnx", new OnnxScoringOptions { ProbabilityOutputName = "label" }));
        Assert.Contains("'label' is not a float tensor", label.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<NotSupportedException>(() => Load("tree_classifier.onnx", new OnnxScoringOptions { ProbabilityOutputName = "nope" }));
        Assert.Contains("no output 'nope'", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_two_inputs_is_rejected()
    {
        var ex = Assert.Throws<NotSupportedException>(() => Load("two_inputs.onnx"));

        Assert.Contains("exactly one float input", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flat_output_without_a_probabilities_name_uses_the_first_float_output()
    {
        using var session = Load("logistic_flat.onnx");
        float[] features = [1f, -0.5f, 2f, 0.25f, -1f, 1f, 0f, -0.5f];
        var probabilities = new float[2];

        session.ScoreBatch(features, 2, probabilities);

        Assert.Equal("score", session.ProbabilityOutputName);
        Assert.Equal(Logistic(features.AsSpan(0, 4)), probabilities[0], Tolerance);
        Assert.Equal(Logistic(features.AsSpan(4, 4)), probabilities[1], Tolerance);
        Assert.Equal(probabilities[1], session.ScoreOne(features.AsSpan(4, 4)), Tolerance);
    }

    [Fact]
    public void Positive_class_index_picks_the_probability_column()
    {
        using var classZero = Load("tree_classifier.onnx", new OnnxScoringOptions { PositiveClassIndex = 0 });
        using var outOfRange = Load("tree_classifier.onnx", new OnnxScoringOptions { PositiveClassIndex = 2 });

        Assert.Equal(1f - (0.05f + 0.10f), classZero.ScoreOne([0f, 0f, 100f]), Tolerance);
        Assert.Throws<NotSupportedException>(() => outOfRange.ScoreOne([0f, 0f, 100f]));
    }

    [Fact]
    public void Dispose_twice_is_safe_and_later_calls_fail_clearly()
    {
        var session = Load("tree_classifier.onnx");

        session.Dispose();
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.ScoreOne([0f, 0f, 0f]));
    }

    [Fact]
    public async Task Disposing_while_others_score_never_frees_the_session_under_a_run()
    {
        var session = Load("tree_classifier.onnx");
        var scored = 0;
        var refused = 0;
        var wrong = 0;

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (true)
            {
                try
                {
                    if (session.ScoreOne([0f, 0f, 100f]) is var p && Math.Abs(p - 0.15f) > Tolerance)
                    {
                        Interlocked.Increment(ref wrong);
                    }

                    Interlocked.Increment(ref scored);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        })).ToArray();
        while (Volatile.Read(ref scored) < 100)
        {
            await Task.Delay(1);
        }

        session.Dispose();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, wrong);
        Assert.Equal(4, refused);
    }

    [Fact]
    public void Concurrent_scoring_on_one_session_gives_the_same_results()
    {
        using var session = Load("logistic.onnx");
        const int rows = 200;
        var random = new Random(7);
        var features = Enumerable.Range(0, rows * 4).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var expected = new float[rows];
        session.ScoreBatch(features, rows, expected);

        var mismatches = 0;
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, worker =>
        {
            Span<float> batch = stackalloc float[3];
            for (var i = 0; i < 400; i++)
            {
                var r = ((worker * 31) + i) % rows;
                if (session.ScoreOne(features.AsSpan(r * 4, 4)) != expected[r])
                {
                    Interlocked.Increment(ref mismatches);
                }

                var start = r % (rows - 3);
                session.ScoreBatch(features.AsSpan(start * 4, 12), 3, batch);
                if (!batch.SequenceEqual(expected.AsSpan(start, 3)))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Per_call_time_is_small()
    {
        using var session = Load("tree_classifier.onnx");
        float[] row = [1f, 0.1f, 10f];
        for (var i = 0; i < 1000; i++)
        {
            session.ScoreOne(row);
        }

        const int calls = 20_000;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            session.ScoreOne(row);
        }

        sw.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var micros = sw.Elapsed.TotalMicroseconds / calls;
        output.WriteLine($"ScoreOne on the tree model: {micros:F2} µs per call, {allocated / (double)calls:F1} managed bytes per call");
        Assert.True(micros < 1000, $"{micros} µs per call");
        // The managed API allocates a few small wrappers per run (OrtValues, name and handle arrays, the result list).
        Assert.True(allocated / calls < 1024, $"{allocated / calls} bytes allocated per call");
    }

    private static OnnxHazardModelSession Load(string name, OnnxScoringOptions? options = null) => new(File.ReadAllBytes(ModelPath(name)), options);

    private static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "ModelScoring", "Onnx", "Models", name);

    private static float Logistic(ReadOnlySpan<float> f)
    {
        var z = (0.5 * f[0]) - f[1] + (0.25 * f[2]) + (2.0 * f[3]) - 0.75;
        return (float)(1.0 / (1.0 + Math.Exp(-z)));
    }
}
