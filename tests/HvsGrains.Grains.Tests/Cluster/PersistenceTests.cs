using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Orleans.Storage;

namespace HvsGrains.Grains.Tests.Cluster;

[Collection(SingleSiloCollection.Name)]
public sealed class PersistenceTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task A_module_rack_and_warehouse_read_back_their_state_after_deactivation()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        var rackGrain = cluster.Grains.GetGrain<IRackGrain>(rack);
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        var sequences = await cluster.IngestAsync(Hot.Runaway(moduleId, rack));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 30));
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetAlarms(null, null)).Any(a => a.RackId == rack && a.Level == HazardLevel.Critical)));
        var (moduleBefore, rackBefore, alarmsBefore) = (await module.GetStatus(), await rackGrain.GetStatus(), await AlarmsOfAsync(warehouse, rack));

        await cluster.Cluster.DeactivateAsync(module);
        await cluster.Cluster.DeactivateAsync(rackGrain);
        await cluster.Cluster.DeactivateAsync(warehouse);

        // Deactivation wrote everything the module applied, so reactivation needs no replay.
        Assert.Equal(sequences[^1], await cluster.StoredSequenceAsync(moduleId));
        var moduleAfter = (await module.GetStatus())!;
        Assert.Equal(HazardLevel.Critical, moduleAfter.Level);
        Assert.Equal(moduleBefore!.Reasons, moduleAfter.Reasons);
        Assert.Equal(moduleBefore.Features, moduleAfter.Features);
        Assert.Equal(moduleBefore.DataQuality, moduleAfter.DataQuality);
        Assert.Equal(moduleBefore.LatestReading, moduleAfter.LatestReading);
        var rackAfter = (await rackGrain.GetStatus())!;
        Assert.Equal(rackBefore!.Modules, rackAfter.Modules);
        Assert.Equal((HazardLevel.Critical, moduleId), (rackAfter.Level, rackAfter.HottestModuleId));
        Assert.Equal(alarmsBefore, await AlarmsOfAsync(warehouse, rack));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 5));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 5));
        await cluster.Cluster.DeactivateAsync(module);
        var stale = await cluster.ReadStoredAsync<ModuleState>("module", module.GetGrainId());

        // The grain writes again (deactivation flushes), so the copy read above is now stale.
        await cluster.IngestAsync(Hot.Calm(moduleId, rack, 5, fromSeconds: 25));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 10));
        await cluster.Cluster.DeactivateAsync(module);

        Assert.NotNull(stale.ETag);
        stale.State!.LastSequence = 1;
        await Assert.ThrowsAsync<InconsistentStateException>(() => cluster.Storage().WriteStateAsync("module", module.GetGrainId(), stale));
        Assert.Equal(10, (await module.GetStatus())!.DataQuality.AppliedReadings);
        var current = await cluster.ReadStoredAsync<ModuleState>("module", module.GetGrainId());
        Assert.NotEqual(1, current.State!.LastSequence);
    }

    [Fact]
    public async Task A_module_rack_and_warehouse_read_back_their_state_after_a_silo_restart()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var sequences = await cluster.IngestAsync(Hot.Runaway(moduleId, rack));
        var warehouseId = new WarehouseOptions().SiteId;
        Assert.True(await Eventually.HoldsAsync(async () => (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())?.DataQuality.AppliedReadings == 30));
        Assert.True(await Eventually.HoldsAsync(async () => (await cluster.Grains.GetGrain<IWarehouseGrain>(warehouseId).GetAlarms(null, null)).Any(a => a.RackId == rack && a.Level == HazardLevel.Critical)));
        var moduleBefore = (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())!;
        var rackBefore = (await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus())!;
        var alarmsBefore = await AlarmsOfAsync(cluster.Grains.GetGrain<IWarehouseGrain>(warehouseId), rack);

        await cluster.RestartSilosAsync(kill: false);

        Assert.Equal(sequences[^1], await cluster.StoredSequenceAsync(moduleId));
        var moduleAfter = (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())!;
        Assert.Equal((moduleBefore.Level, moduleBefore.DataQuality, moduleBefore.LatestReading), (moduleAfter.Level, moduleAfter.DataQuality, moduleAfter.LatestReading));
        Assert.Equal(moduleBefore.Features, moduleAfter.Features);
        Assert.Equal(rackBefore.Modules, (await cluster.Grains.GetGrain<IRackGrain>(rack).GetStatus())!.Modules);
        Assert.Equal(alarmsBefore, await AlarmsOfAsync(cluster.Grains.GetGrain<IWarehouseGrain>(warehouseId), rack));
    }

    private static async Task<List<Alarm>> AlarmsOfAsync(IWarehouseGrain warehouse, string rack) =>
        (await warehouse.GetAlarms(null, null)).Where(a => a.RackId == rack).ToList();
}
