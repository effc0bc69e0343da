using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Cluster;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Racks;

/// <summary>A module that reports a new rack moves to it: one rack counts it, the other forgets it.</summary>
[Collection(SingleSiloCollection.Name)]
public sealed class ModuleMoveTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task A_module_reporting_a_new_rack_leaves_the_old_racks_picture_counts_and_alarms()
    {
        var from = TestReadings.NewRack();
        var to = TestReadings.NewRack();
        var moving = TestReadings.ModuleOf(from, 1);
        var staying = TestReadings.ModuleOf(from, 2);
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        await cluster.IngestAsync(Hot.Calm(staying, from, 3));
        await cluster.IngestAsync(Hot.Runaway(moving, from));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await warehouse.GetAlarms(AlarmState.Open, null)).Any(a => a.RackId == from && a.ModuleId == moving)));

        // The same module, still heating, now reports the other rack (readings after the last one).
        await cluster.IngestAsync(Hot.Runaway(moving, to, count: 5, fromSeconds: 400).Select(r => r with { AvgSurfaceTempC = 140, MaxSurfaceTempC = 141 }).ToList());

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.Grains.GetGrain<IRackGrain>(from).GetStatus())!.Modules.Select(m => m.ModuleId).SequenceEqual([staying])));
        var newRack = (await cluster.Grains.GetGrain<IRackGrain>(to).GetStatus())!;
        Assert.Equal([moving], newRack.Modules.Select(m => m.ModuleId));
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var racks = (await warehouse.GetStatus()).Racks;
            return racks.Single(r => r.RackId == from) is { ModuleCount: 1, Level: HazardLevel.Normal, Alerts.Count: 0 }
                && racks.Single(r => r.RackId == to) is { ModuleCount: 1, Level: HazardLevel.Critical };
        }));
        // The new rack's alarm follows its level once the rack has confirmed the event; the old one is cleared.
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetAlarms(null, null)).Any(a => a.RackId == to && a.ModuleId == moving)));
        var alarms = await warehouse.GetAlarms(null, null);
        Assert.Equal(AlarmState.Cleared, alarms.Single(a => a.RackId == from && a.ModuleId == moving).State);
        Assert.Equal(AlarmState.Open, alarms.Single(a => a.RackId == to && a.ModuleId == moving).State);
    }

    [Fact]
    public async Task A_rack_whose_only_module_moved_away_leaves_the_site_picture()
    {
        var from = TestReadings.NewRack();
        var to = TestReadings.NewRack();
        var module = TestReadings.ModuleOf(from);
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        await cluster.IngestAsync(Hot.Calm(module, from, 2));
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetStatus()).Racks.Any(r => r.RackId == from)));
        var before = await warehouse.GetStatus();

        await cluster.IngestAsync(Hot.Calm(module, to, 2, fromSeconds: 60));

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await warehouse.GetStatus()).Racks is var racks && racks.All(r => r.RackId != from) && racks.Any(r => r.RackId == to)));
        var after = await warehouse.GetStatus();
        Assert.Equal((before.ModuleCount, before.RackCount), (after.ModuleCount, after.RackCount)); // one rack left, one came; the module counted once
        Assert.Null(await cluster.Grains.GetGrain<IRackGrain>(from).GetStatus());
    }

    [Fact]
    public void The_site_tally_forgets_a_rack_that_is_gone()
    {
        var tally = new SiteTally();
        var report = new RackReport("R1", HazardLevel.Warning, 3, null, null, PropagationRisk.None, [new ModuleAlert("M1", HazardLevel.Warning, null, DateTimeOffset.UnixEpoch)], DateTimeOffset.UnixEpoch);
        tally.Replace(null, report);

        tally.Replace(report, null);

        Assert.Equal([0, 0, 0, 0], tally.ModulesByLevel());
        Assert.Equal(HazardLevel.Normal, tally.Level);
    }
}
