using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>
/// The site's model catalog grain on two silos, each with its own model store and bundled model: an upload made
/// through one silo is followed by both, a refused upload changes nothing, a rollback returns both to the bundled
/// model, and the catalog's versions are in grain state.
/// </summary>
public sealed class ModelCatalogTests : IClassFixture<ModelCatalogTests.TwoSilosWithModels>
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly TwoSilosWithModels _cluster;

    public ModelCatalogTests(TwoSilosWithModels cluster) => _cluster = cluster;

    [Fact]
    public async Task Every_silo_follows_an_upload_and_a_rollback_and_a_refusal_changes_nothing()
    {
        var catalog = _cluster.Grains.GetGrain<IModelCatalogGrain>("catalog-site");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Source == "bundled"))));

        var uploaded = await catalog.Upload(TestModels.Create(Schema.Names, Schema.Hash, "catalog-2"), "Grace");

        Assert.Equal(ModelChangeOutcome.Changed, uploaded.Outcome);
        Assert.Equal(("catalog-2", "Grace", 1L), (uploaded.Catalog.Active!.Version, uploaded.Catalog.Active.UploadedBy, uploaded.Catalog.Revision));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Version == "catalog-2" && m.Previous?.Source == "bundled"))),
            "not every silo followed the upload");

        var refused = await catalog.Upload(TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "catalog-foreign", feature: Schema.Names[0]), "Grace");
        Assert.Equal(ModelChangeOutcome.Refused, refused.Outcome);
        Assert.StartsWith("The model has 10 features", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(("catalog-2", 1L), (refused.Catalog.Active!.Version, refused.Catalog.Revision));

        var rolledBack = await catalog.Rollback("Ada");
        Assert.Equal(ModelChangeOutcome.Changed, rolledBack.Outcome);
        Assert.Null(rolledBack.Catalog.Active); // the bundled model
        Assert.Equal("catalog-2", rolledBack.Catalog.Previous!.Version);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Source == "bundled" && m.Previous?.Version == "catalog-2"))),
            "not every silo followed the rollback");

        var stored = (await _cluster.ReadStoredAsync<ModelCatalogState>("model-catalog", catalog.GetGrainId())).State!;
        Assert.Equal((2L, null, true, "Ada"), (stored.Revision, stored.ActiveSha256, stored.HasPrevious, stored.ChangedBy));
        Assert.Equal([rolledBack.Catalog.Previous.Sha256], stored.Models.Keys);
        Assert.True(await Eventually.HoldsAsync(async () => (await catalog.GetCatalog()).Silos.Count == 2 && (await catalog.GetCatalog()).Silos.All(s => s.Source == "bundled")),
            "the silos did not report the model they run");
    }

    private List<HazardModelManager> Managers() =>
        [.. _cluster.Cluster.GetActiveSilos().Select(s => _cluster.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<HazardModelManager>())];

    /// <summary>Two silos scoring with a bundled test model, each with a model store of its own, following the catalog every 200 ms.</summary>
    public sealed class TwoSilosWithModels() : WarehouseCluster(2, new() { ["Hvs:Warehouse:SiteId"] = "catalog-site" })
    {
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hvs:Model:BundledModelPath"] = BundledModel(() => TestModels.Create(Schema.Names, Schema.Hash, "bundled-1")),
                ["Hvs:Model:CatalogPollInterval"] = "00:00:00.200",
            }).Build();
            silo.Services.AddMetrics();
            silo.Services.AddHazardModel(configuration, Path.Combine(Data.Path, "models-" + Guid.NewGuid().ToString("N")));
        }
    }
}
