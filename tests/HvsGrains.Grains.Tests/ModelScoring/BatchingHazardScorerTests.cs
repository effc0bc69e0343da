using System.Diagnostics.Metrics;
using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>The grains' shared scorer on the real ONNX Runtime and the bundled model: concurrent vectors share model runs.</summary>
public sealed class BatchingHazardScorerTests : IDisposable
{
    private static readonly string Bundle =
        Path.GetDirectoryName(RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")))!;

    private readonly DataFolder _data = new();
    private readonly TestMeterFactory _meters = new();

    [Fact]
    public async Task Concurrent_vectors_share_model_runs_and_each_gets_its_own_score()
    {
        var (vectors, expected) = TestVectors();
        var batchRows = new List<int>();
        var waits = new List<double>();
        using var rowsListener = Listen<int>("hvs.scoring.batch.rows", batchRows.Add);
        using var waitListener = Listen<double>("hvs.scoring.wait", waits.Add);
        using var models = Manager();
        models.LoadAtStartup();
        using var scorer = new BatchingHazardScorer(models, new ScoringMetrics(_meters));

        // Many rounds of all vectors at once, so the scoring thread finds several waiting.
        var rounds = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Task.WhenAll(vectors.Select(v => scorer.ScoreAsync(v).AsTask())))));

        foreach (var scores in rounds)
        {
            for (var i = 0; i < vectors.Count; i++)
            {
                Assert.Equal(models.Current!.Version, scores[i]!.ModelVersion);
                Assert.True(Math.Abs(scores[i]!.Probability - expected[i]) <= 1e-5, $"vector {i}: {scores[i]!.Probability} vs Python {expected[i]}");
            }
        }

        // Recorded before the scores were handed out, so every run is counted by now.
        Assert.Equal(20 * vectors.Count, batchRows.Sum());
        Assert.Contains(batchRows, rows => rows > 1);
        Assert.All(batchRows, rows => Assert.InRange(rows, 1, BatchingHazardScorer.MaxBatch));
        Assert.Equal(20 * vectors.Count, waits.Count);
        Assert.All(waits, seconds => Assert.True(seconds >= 0));
    }

    [Fact]
    public async Task Without_a_model_the_score_is_null_at_once_and_the_rules_decide()
    {
        using var models = Manager(bundledPath: Path.Combine(_data.Path, "missing.onnx"));
        models.LoadAtStartup();
        using var scorer = new BatchingHazardScorer(models, new ScoringMetrics(_meters));
        var (vectors, _) = TestVectors();

        var pending = scorer.ScoreAsync(vectors[0]);

        Assert.True(pending.IsCompleted);
        Assert.Null(await pending);
        Assert.NotNull(models.RulesOnlyReason);
    }

    [Fact]
    public async Task A_scorer_that_has_closed_answers_null_rather_than_leaving_a_reading_waiting()
    {
        using var models = Manager();
        models.LoadAtStartup();
        var scorer = new BatchingHazardScorer(models, new ScoringMetrics(_meters));
        var (vectors, _) = TestVectors();
        Assert.NotNull(await scorer.ScoreAsync(vectors[0]));

        scorer.Dispose();

        Assert.Null(await scorer.ScoreAsync(vectors[0]));
    }

    private static (IReadOnlyList<FeatureVector> Vectors, IReadOnlyList<double> Expected) TestVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Bundle, "test-vectors.json")));
        var root = document.RootElement;
        var vectors = root.GetProperty("inputs").EnumerateArray()
            .Select(row => new FeatureVector(DateTimeOffset.UnixEpoch, row.EnumerateArray().Select(v => v.GetSingle()).ToArray(), 0x1FF, 0))
            .ToList();
        var expected = root.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble()).ToList();
        return (vectors, expected);
    }

    private HazardModelManager Manager(string? bundledPath = null)
    {
        var options = Options.Create(new ModelOptions { BundledModelPath = bundledPath ?? Path.Combine(Bundle, "hazard-model.onnx"), Directory = Path.Combine(_data.Path, "models") });
        return new HazardModelManager(options, new ScoringMetrics(_meters), TimeProvider.System, NullLogger<HazardModelManager>.Instance);
    }

    private MeterListener Listen<T>(string instrument, Action<T> record)
        where T : struct
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i.Meter.Scope, _meters) && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        var gate = new Lock();
        listener.SetMeasurementEventCallback<T>((_, value, _, _) =>
        {
            lock (gate)
            {
                record(value);
            }
        });
        listener.Start();
        return listener;
    }

    public void Dispose()
    {
        _meters.Dispose();
        _data.Dispose();
    }
}
