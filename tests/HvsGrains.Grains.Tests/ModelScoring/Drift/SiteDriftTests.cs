using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.Tests.ModelScoring.Drift;

/// <summary>
/// Drift per site on two silos: each counts what it scores, the site's drift grain adds both up and judges it,
/// either silo answers for the site, the advisory names the drifted feature only, and a new model starts again.
/// </summary>
public sealed class SiteDriftTests(SiteDriftTests.TwoSilos cluster) : IClassFixture<SiteDriftTests.TwoSilos>
{
    private const string Site = "drift-site";

    /// <summary>Attempts of 10 ms: a minute, for a machine shared by many builds (the silos follow the catalog every 200 ms).</summary>
    private const int Patience = 6000;

    [Fact]
    public async Task Both_silos_counts_make_the_sites_drift_and_a_new_model_starts_it_again()
    {
        var silos = cluster.Cluster.GetActiveSilos().Select(s => cluster.Cluster.GetSiloServiceProvider(s.SiloAddress)).ToList();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(silos.All(s => s.GetRequiredService<HazardModelManager>().Current?.Version == "drift-bundled")), Patience));

        // Silo 0 scores 200 vectors, silo 1 300: every feature spread evenly over the baseline's four bins,
        // except feature 3 (average surface temperature), which sits in its top bin: a warmer site.
        for (var s = 0; s < 2; s++)
        {
            var scorer = silos[s].GetRequiredService<BatchingHazardScorer>();
            await Task.WhenAll(Enumerable.Range(0, 200 + (100 * s)).Select(i => scorer.ScoreAsync(BaselineModels.Vector(f => f == 3 ? 25 : i % 4 * 10)).AsTask()));
        }

        var reporters = silos.Select(s => s.GetRequiredService<DriftReporter>()).ToList();
        Assert.True(await Eventually.HoldsAsync(async () => (await reporters[0].ReportAsync()).Windows.FirstOrDefault()?.Readings == 200, Patience));
        var site = await reporters[1].ReportAsync(); // either silo answers for the site

        Assert.Equal(("drift-bundled", 2, null), (site.ModelVersion, site.Silos, site.Unavailable));
        Assert.Equal(["1h", "24h"], site.Windows.Select(w => w.Window));
        var hour = site.Windows[0];
        Assert.Equal(500, hour.Readings);
        var warm = hour.Features[3];
        Assert.Equal(("Module_Avg_Surface_Temp_C", DriftVerdict.Drifted), (warm.Feature, warm.Verdict));
        Assert.Equal([0L, 0, 0, 500], warm.Counts[..4]);
        // PSI = 3·(0.0001 − 0.25)·ln(0.0001/0.25) + (1 − 0.25)·ln(1/0.25) = 5.865654 + 1.039721; KS = 0.75 at the top edge.
        Assert.Equal(6.905408, warm.Psi!.Value, 5);
        Assert.Equal(0.75, warm.Ks!.Value, 6);
        Assert.All(hour.Features.Where(f => f.Feature != warm.Feature), f => Assert.Equal((DriftVerdict.Stable, 0.0), (f.Verdict, f.Psi!.Value)));
        Assert.Equal(["Module_Avg_Surface_Temp_C"], site.Advisory!.Features);
        var kept = (await cluster.Grains.GetGrain<IModelDriftGrain>(Site).GetDrift()).Advisory!;
        Assert.Equal((site.Advisory.Message, site.Advisory.Since), (kept.Message, kept.Since));

        // A new model: its baseline is its own, so the site's counts and its advisory start again.
        var change = await cluster.Grains.GetGrain<IModelCatalogGrain>(Site).Upload(BaselineModels.Create("drift-2", BaselineModels.QuarterBins()), "Grace");
        Assert.Equal(ModelChangeOutcome.Changed, change.Outcome);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(silos.All(s => s.GetRequiredService<HazardModelManager>().Current?.Version == "drift-2")), Patience));
        await reporters[0].ReportAsync();
        var renewed = await reporters[1].ReportAsync();
        Assert.Equal(("drift-2", 0L, null), (renewed.ModelVersion, renewed.Windows[0].Readings, renewed.Advisory));
    }

    /// <summary>Two silos of the site "drift-site" with a bundled test model that carries a baseline.</summary>
    public sealed class TwoSilos() : WarehouseCluster(2, new() { ["Hvs:Warehouse:SiteId"] = Site })
    {
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hvs:Model:BundledModelPath"] = BundledModel(() => BaselineModels.Create("drift-bundled", BaselineModels.QuarterBins())),
                ["Hvs:Model:CatalogPollInterval"] = "00:00:00.200",
                ["Hvs:Drift:MinReadings"] = "100",
                ["Hvs:Drift:ReportInterval"] = "00:10:00", // the test reports by hand
            }).Build();
            silo.Services.AddMetrics();
            silo.Services.AddHazardModel(configuration, Path.Combine(Data.Path, "models-" + Guid.NewGuid().ToString("N")));
        }
    }
}
