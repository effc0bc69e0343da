using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Tests.Cluster;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.Modules;

[Collection(SingleSiloCollection.Name)]
public sealed class RecoveryTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task After_a_crash_a_module_rebuilds_its_windows_from_its_snapshot_plus_the_log()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var readings = Hot.Calm(moduleId, rack, 240);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        var first = await cluster.IngestAsync(readings.Take(120).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 120));
        await cluster.Cluster.DeactivateAsync(module); // the snapshot: the first 120
        await cluster.IngestAsync(readings.Skip(120).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 240));
        var beforeCrash = (await module.GetStatus())!;

        // Killed, no deactivation: the last 120 readings exist only in the log.
        await cluster.RestartSilosAsync(kill: true);
        Assert.Equal(first[^1], await cluster.StoredSequenceAsync(moduleId));
        var afterCrash = (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())!;

        Assert.Equal(beforeCrash.Features, afterCrash.Features);
        Assert.Equal(beforeCrash.LatestReading, afterCrash.LatestReading);
        Assert.Equal(beforeCrash.DataQuality.AppliedReadings, afterCrash.DataQuality.AppliedReadings);
        Assert.Equal(beforeCrash.Level, afterCrash.Level);
    }

    [Fact]
    public async Task A_level_reached_before_a_crash_is_still_there_after_it()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        await cluster.IngestAsync(Hot.Runaway(moduleId, rack));
        Assert.True(await Eventually.HoldsAsync(async () => (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())?.Level == HazardLevel.Critical));

        await cluster.RestartSilosAsync(kill: true);
        var status = (await cluster.Grains.GetGrain<IModuleGrain>(moduleId).GetStatus())!;

        Assert.Equal(HazardLevel.Critical, status.Level);
        Assert.Contains(status.Reasons, r => r.Level == HazardLevel.Critical);
    }

    [Fact]
    public async Task A_snapshot_interval_that_is_not_positive_stops_the_silo_from_starting()
    {
        var settings = new Dictionary<string, string?> { ["Hvs:Modules:SnapshotInterval"] = "00:00:00" };
        var refused = WarehouseCluster.Create(1, settings);
        try
        {
            var error = await Record.ExceptionAsync(refused.InitializeAsync);

            Assert.NotNull(error);
            Assert.Contains("SnapshotInterval", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await refused.DisposeAsync();
        }
    }
}
