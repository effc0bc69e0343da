using HvsGrains.Grains.Tests.Cluster;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Warehouse;

/// <summary>The warehouse grain's alarm list in the operator's order, and acknowledgement with a verdict, through the cluster.</summary>
[Collection(SingleSiloCollection.Name)]
public sealed class AlarmListTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task An_older_unacknowledged_alarm_stays_above_a_newer_acknowledged_one_and_the_verdict_is_kept()
    {
        var (first, second) = (TestReadings.NewRack(), TestReadings.NewRack());
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        await cluster.IngestAsync(Hot.Runaway(TestReadings.ModuleOf(first), first));
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetAlarms(AlarmState.Open, null)).Any(a => a.RackId == first)));
        await cluster.IngestAsync(Hot.Runaway(TestReadings.ModuleOf(second), second));
        Alarm? newer = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
            (newer = (await warehouse.GetAlarms(AlarmState.Open, null)).FirstOrDefault(a => a.RackId == second)) is not null));

        var ack = await warehouse.Acknowledge(newer!.Id, new Acknowledgement("operator-key", "Sam", AlarmVerdict.Test));

        Assert.Equal(AcknowledgeOutcome.Acknowledged, ack.Outcome);
        var ours = (await warehouse.GetAlarms(null, null)).Where(a => a.RackId == first || a.RackId == second).ToList();
        Assert.Equal([first, second], ours.Select(a => a.RackId));
        Assert.Contains(await warehouse.GetVerdicts(AlarmVerdict.Test), v => v.AlarmId == newer.Id && v.By == "Sam" && v.KeyName == "operator-key");
        Assert.Contains(await warehouse.GetAlarms(null, AlarmVerdict.Test), a => a.Id == newer.Id);
    }
}
