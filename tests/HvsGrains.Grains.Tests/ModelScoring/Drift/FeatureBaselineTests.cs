using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.ModelScoring.Drift;

/// <summary>The baseline in a model's metadata, read by the silo's validator on the real ONNX Runtime.</summary>
public sealed class FeatureBaselineTests : IDisposable
{
    private static readonly IReadOnlyList<string> Names = FeatureSchema.Current.Names;
    private readonly DataFolder _data = new();

    [Fact]
    public void A_model_with_a_baseline_carries_it_in_feature_order()
    {
        using var models = Manager();

        var info = models.Check(BaselineModels.Create("with-baseline", BaselineModels.QuarterBins()));

        var baseline = info.FeatureBaseline!;
        Assert.Equal((1000, "test rows"), (baseline.Rows, baseline.Source));
        Assert.Equal(Names, baseline.Features.Select(f => f.Name));
        Assert.Equal([0.0, 10, 20], baseline.Features[5].Edges);
    }

    [Fact]
    public void A_model_without_a_baseline_is_still_valid()
    {
        using var models = Manager();

        Assert.Null(models.Check(BaselineModels.Create("no-baseline", null)).FeatureBaseline);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "{\"version\":1,", "is not the baseline JSON" },
        { BaselineModels.QuarterBins().Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal), "version 2 is not 1" },
        { BaselineModels.QuarterBins([.. Names.Take(78)]), "it has 78 features; the model has 79" },
        { BaselineModels.QuarterBins([.. Names.Select((n, i) => i == 7 ? "Other" : n)]), "feature 7 is 'Other', the model's is 'Sim_OffGas_H2_ppm_proxy'" },
        { BaselineModels.Json(Names, _ => ([0, 10, 5], [0.25, 0.25, 0.25, 0.25])), "edges must be finite and strictly increasing (edge 2)" },
        { BaselineModels.Json(Names, _ => ([0, 10], [0.25, 0.25, 0.5, 0])), "4 proportions for 2 edges" },
        { BaselineModels.Json(Names, _ => ([0, 10], [0.5, 0.5, 0.5])), "sum to 1 (sum 1.5)" },
        { BaselineModels.Json(Names, _ => ([.. Enumerable.Range(0, 20).Select(e => (double)e)], [.. Enumerable.Repeat(1 / 21.0, 21)])), "has 20 edges; 1 to 19 are allowed" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_baseline_refuses_the_model_saying_why(string baseline, string reason)
    {
        using var models = Manager();

        var refused = Assert.Throws<ModelRejectedException>(() => models.Check(BaselineModels.Create("malformed", baseline)));

        Assert.Contains("'hvs.feature_baseline'", refused.Message);
        Assert.Contains(reason, refused.Message);
    }

    public void Dispose() => _data.Dispose();

    private HazardModelManager Manager()
    {
        var bundled = Path.Combine(_data.Path, "bundled.onnx");
        File.WriteAllBytes(bundled, BaselineModels.Create("bundled", null));
        var models = new HazardModelManager(Options.Create(new ModelOptions { BundledModelPath = bundled, Directory = Path.Combine(_data.Path, "models") }),
            new ScoringMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<HazardModelManager>.Instance);
        models.LoadAtStartup();
        return models;
    }
}
