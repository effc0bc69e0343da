using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.Cluster;

[Collection(MultiSiloCollection.Name)]
public sealed class MultiSiloTests(MultiSiloCluster cluster)
{
    [Fact]
    public async Task A_module_reports_to_its_rack_on_another_silo()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        var rackGrain = cluster.Grains.GetGrain<IRackGrain>(rack);
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 3));
        Assert.True(await Eventually.HoldsAsync(async () => (await rackGrain.GetStatus())?.Modules.Count == 1));
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var moduleHost = await management.GetActivationAddress(module);
        Assert.NotNull(moduleHost);

        // Move the rack away from its module (unless placement did), so the next report is a call between
        // silos; migrating to the silo it is on would never deactivate it.
        var elsewhere = await management.GetActivationAddress(rackGrain);
        if (elsewhere == moduleHost)
        {
            elsewhere = cluster.Cluster.GetActiveSilos().First(s => s.SiloAddress != moduleHost).SiloAddress;
            await cluster.Cluster.MigrateAsync(rackGrain, elsewhere).WaitAsync(TimeSpan.FromSeconds(30));
            RequestContext.Clear(); // MigrateAsync leaves its placement hint in this flow's request context
        }

        await cluster.IngestAsync(Hot.Runaway(moduleId, rack, fromSeconds: 20));

        Assert.True(await Eventually.HoldsAsync(async () => (await rackGrain.GetStatus())?.Level == HazardLevel.Critical));
        var (moduleNow, rackNow) = (await management.GetActivationAddress(module), await management.GetActivationAddress(rackGrain));
        Assert.Equal(moduleHost, moduleNow);
        Assert.Equal(elsewhere, rackNow);
        var reported = Assert.Single((await rackGrain.GetStatus())!.Modules);
        Assert.Equal((moduleId, HazardLevel.Critical), (reported.ModuleId, reported.Level));
    }

    [Fact]
    public async Task A_module_of_a_stopped_silo_reactivates_on_another_from_storage_and_the_log()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var readings = Hot.Runaway(moduleId, rack, count: 40);
        await cluster.IngestAsync(readings);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 40));
        var before = (await module.GetStatus())!;
        var host = cluster.Cluster.GetActiveSilos().Single(s => s.SiloAddress == cluster.HostOf(module));

        await cluster.Cluster.StopSiloAsync(host);
        try
        {
            var after = (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())!;
            Assert.NotEqual(host.SiloAddress, cluster.HostOf(module));
            Assert.Equal((before.Level, before.DataQuality, before.LatestReading), (after.Level, after.DataQuality, after.LatestReading));
            Assert.Equal(before.Features, after.Features);
            Assert.Contains(await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus() is { } status ? status.Modules : [], m => m.ModuleId == moduleId);
        }
        finally
        {
            await cluster.Cluster.StartAdditionalSiloAsync(); // back to three silos for the next test
        }
    }
}
