using System.Diagnostics.Metrics;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>The model's life on the real ONNX Runtime: load, validate against the feature code, swap, roll back.</summary>
public sealed class HazardModelManagerTests : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly DataFolder _data = new();

    [Fact]
    public void The_bundled_model_is_loaded_validated_and_scores_feature_vectors()
    {
        var bundled = WriteBundled(TestModels.Create(Schema.Names, Schema.Hash, "bundled-1"));
        using var models = Manager(bundled);

        models.LoadAtStartup();

        Assert.Equal("bundled-1", models.Current!.Version);
        Assert.Equal("bundled", models.Current.Source);
        Assert.Equal(0.6, models.Current.Thresholds.Warning);
        Assert.Null(models.RulesOnlyReason);
        Assert.Equal("1.31.1", models.RuntimeVersion);
        var cool = models.Score(Features(maxSurfaceC: 30))!;
        var hot = models.Score(Features(maxSurfaceC: 75))!;
        Assert.Equal(0.05, cool.Probability, 1e-6);
        Assert.Equal(0.9, hot.Probability, 1e-6);
        Assert.Equal("bundled-1", hot.ModelVersion);
    }

    [Fact]
    public void A_model_with_other_features_is_refused_and_the_rules_decide()
    {
        var renamed = Schema.Names.Select((n, i) => i == 3 ? "Some_Other_Feature" : n).ToList();
        var bundled = WriteBundled(TestModels.Create(renamed, Schema.Hash, "foreign", feature: "Some_Other_Feature"));
        using var models = Manager(bundled);

        models.LoadAtStartup();

        Assert.Null(models.Current);
        Assert.Contains("position 3", models.RulesOnlyReason);
        Assert.Contains("Some_Other_Feature", models.RulesOnlyReason);
        Assert.Null(models.Score(Features(maxSurfaceC: 75)));
    }

    [Fact]
    public void A_corrupt_file_leaves_the_rules_in_charge_with_a_reason()
    {
        using var corrupt = Manager(WriteBundled([1, 2, 3, 4, 5]));

        corrupt.LoadAtStartup();

        Assert.Null(corrupt.Current);
        Assert.Contains("Not a usable ONNX model", corrupt.RulesOnlyReason);
    }

    [Fact]
    public void An_upload_swaps_without_restart_keeps_the_previous_for_rollback_and_survives_a_restart()
    {
        var bundled = WriteBundled(TestModels.Create(Schema.Names, Schema.Hash, "bundled-1"));
        using (var models = Manager(bundled))
        {
            models.LoadAtStartup();
            models.Upload(TestModels.Create(Schema.Names, Schema.Hash, "uploaded-2", threshold: 40));
            Assert.Equal(("uploaded-2", "bundled-1"), (models.Current!.Version, models.Previous!.Version));
            Assert.Equal(0.9, models.Score(Features(maxSurfaceC: 45))!.Probability, 1e-6);

            var refused = Assert.Throws<ModelRejectedException>(() => models.Upload(TestModels.Create(Schema.Names, "not-the-hash", "bad-3")));
            Assert.Contains("schema hash", refused.Message);
            Assert.Equal("uploaded-2", models.Current.Version);

            models.Upload(TestModels.Create(Schema.Names, Schema.Hash, "uploaded-3"));
            Assert.Equal("uploaded-2", models.Rollback().Version);
            Assert.Equal("uploaded-3", models.Previous.Version);
        }

        using var restarted = Manager(bundled);
        restarted.LoadAtStartup();
        Assert.Equal(("uploaded-2", "uploaded-3"), (restarted.Current!.Version, restarted.Previous!.Version));
    }

    [Fact]
    public void Scores_and_refusals_are_measured()
    {
        using var models = Manager(WriteBundled(TestModels.Create(Schema.Names, Schema.Hash, "m")), out var meters);
        var durations = 0;
        var refusals = new List<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((i, _, _, _) => durations += i.Name == "hvs.scoring.duration" ? 1 : 0);
        listener.SetMeasurementEventCallback<long>((i, _, tags, _) => refusals.Add(tags.ToArray().Single(t => t.Key == "reason").Value as string));
        listener.Start();
        models.LoadAtStartup();

        models.Score(Features(30));
        Assert.Throws<ModelRejectedException>(() => models.Upload([9, 9, 9]));

        Assert.Equal(1, durations);
        Assert.Equal(["rejected"], refusals);
    }

    private static FeatureVector Features(double maxSurfaceC)
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, tempC: maxSurfaceC - 1));
        return state.Current!;
    }

    private string WriteBundled(byte[] model)
    {
        var path = Path.Combine(_data.Path, Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(path, model);
        return path;
    }

    private HazardModelManager Manager(string bundledPath) => Manager(bundledPath, out _);

    private HazardModelManager Manager(string bundledPath, out IMeterFactory meters)
    {
        meters = new TestMeterFactory();
        var options = Options.Create(new ModelOptions { BundledModelPath = bundledPath, Directory = Path.Combine(_data.Path, "models") });
        return new HazardModelManager(options, new ScoringMetrics(meters), TimeProvider.System, NullLogger<HazardModelManager>.Instance);
    }

    public void Dispose() => _data.Dispose();
}
