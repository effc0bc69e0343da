using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>
/// A site upgraded from per-silo models: the silo's model store already holds an uploaded active model and the
/// catalog grain has never been written, so the catalog adopts the silo's model instead of sending it back to the bundled one.
/// </summary>
public sealed class ModelCatalogAdoptionTests : IClassFixture<ModelCatalogAdoptionTests.SiloWithStoredModel>
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly SiloWithStoredModel _cluster;

    public ModelCatalogAdoptionTests(SiloWithStoredModel cluster) => _cluster = cluster;

    [Fact]
    public async Task The_catalog_adopts_the_model_a_silo_had_uploaded_before_it_existed()
    {
        var catalog = _cluster.Grains.GetGrain<IModelCatalogGrain>("adoption-site");

        Assert.True(await Eventually.HoldsAsync(async () => (await catalog.GetCatalog()).Revision == 1), "the catalog did not adopt the silo's model");

        var view = await catalog.GetCatalog();
        Assert.Equal("stored-3", view.Active!.Version);
        Assert.StartsWith("silo ", view.Active.UploadedBy, StringComparison.Ordinal);
        var manager = _cluster.Cluster.GetSiloServiceProvider(_cluster.Cluster.GetActiveSilos().Single().SiloAddress).GetRequiredService<HazardModelManager>();
        Assert.Equal(("stored-3", "uploaded"), (manager.Current!.Version, manager.Current.Source));
    }

    /// <summary>One silo whose model store was written by an earlier release: an uploaded model is active there.</summary>
    public sealed class SiloWithStoredModel() : WarehouseCluster(1, new() { ["Hvs:Warehouse:SiteId"] = "adoption-site" })
    {
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            var models = Path.Combine(Data.Path, "models");
            var stored = TestModels.Create(Schema.Names, Schema.Hash, "stored-3");
            var store = new ModelStore(models);
            store.Save(ModelStore.Sha256(stored), stored);
            store.WriteCatalog(new ModelCatalog { ActiveSha256 = ModelStore.Sha256(stored) });

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hvs:Model:BundledModelPath"] = BundledModel(() => TestModels.Create(Schema.Names, Schema.Hash, "bundled-1")),
                ["Hvs:Model:CatalogPollInterval"] = "00:00:00.200",
            }).Build();
            silo.Services.AddMetrics();
            silo.Services.AddHazardModel(configuration, models);
        }
    }
}
