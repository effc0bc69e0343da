using System.Collections.Concurrent;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HvsGrains.Grains.Tests.Warehouse;

/// <summary>The warehouse grain tells its subscribers (each silo's site feed) of every change of levels and alarms.</summary>
[Collection(SingleSiloCollection.Name)]
public sealed class SiteObserverTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task A_subscriber_hears_of_a_raised_alarm_and_of_its_acknowledgement_and_nothing_after_it_unsubscribes()
    {
        var site = cluster.Grains.GetGrain<IWarehouseGrain>("observed-" + Guid.NewGuid().ToString("N"));
        var heard = new HeardChanges();
        var observer = cluster.Grains.CreateObjectReference<ISiteObserver>(heard);
        var subscribed = await site.Subscribe(observer);

        await site.ReportRack(Rack("ObservedRack1", HazardLevel.Warning));

        var raised = await heard.NextAsync();
        Assert.Equal((subscribed.SiteId, subscribed.Activation, subscribed.Sequence + 1), (raised.SiteId, raised.Activation, raised.Sequence));
        var alarm = Assert.Single(await site.GetAlarms(AlarmState.Open, null));

        await site.Acknowledge(alarm.Id, new Acknowledgement("read", "operator"));

        Assert.Equal(raised.Sequence + 1, (await heard.NextAsync()).Sequence);

        await site.Unsubscribe(observer);
        var other = new HeardChanges();
        var otherObserver = cluster.Grains.CreateObjectReference<ISiteObserver>(other);
        await site.Subscribe(otherObserver);
        await site.ReportRack(Rack("ObservedRack1", HazardLevel.Normal));

        // The one still subscribed hears of the cleared alarm; the one that left does not (same silo, same order).
        Assert.Equal(raised.Sequence + 2, (await other.NextAsync()).Sequence);
        Assert.Empty(heard.Versions);
        GC.KeepAlive(heard);
    }

    [Fact]
    public void A_subscription_not_renewed_within_the_expiry_lapses_and_a_renewed_one_stays()
    {
        var clock = new FakeTimeProvider(TestReadings.Start);
        var observers = new SiteObservers(clock);
        var (lapsing, renewing) = (new HeardChanges(), new HeardChanges());
        observers.Subscribe("site", lapsing);
        observers.Subscribe("site", renewing);

        clock.Advance(SiteObservers.Expiry / 2);
        observers.Subscribe("site", renewing);
        clock.Advance((SiteObservers.Expiry / 2) + TimeSpan.FromSeconds(1));
        observers.Changed("site");

        Assert.Equal(1, observers.Count);
        Assert.Empty(lapsing.Versions);
        Assert.Equal(1, Assert.Single(renewing.Versions).Sequence);
    }

    private static RackReport Rack(string rackId, HazardLevel level) => new(
        rackId, level, 8, $"{rackId}_Module01", 60, PropagationRisk.None,
        level > HazardLevel.Normal ? [new ModuleAlert($"{rackId}_Module01", level, "Hot", TestReadings.Start)] : [], TestReadings.Start);
}

/// <summary>The warehouse grain's subscribers live in its activation: after its silo dies, a renewal finds a new one.</summary>
[Collection(MultiSiloCollection.Name)]
public sealed class SiteObserverFailoverTests(MultiSiloCluster cluster)
{
    [Fact]
    public async Task After_the_warehouse_silo_dies_renewing_answers_a_new_activation_and_changes_reach_the_subscriber_again()
    {
        var siteId = "moved-" + Guid.NewGuid().ToString("N");
        var site = cluster.Grains.GetGrain<IWarehouseGrain>(siteId);
        await site.GetStatus(); // activates it (a report is one-way)
        var host = cluster.HostOf(site);
        Assert.NotNull(host);
        var survivor = cluster.Cluster.GetActiveSilos().First(s => s.SiloAddress != host);
        var grains = survivor.SiloHost.Services.GetRequiredService<IGrainFactory>();
        var heard = new HeardChanges();
        var observer = grains.CreateObjectReference<ISiteObserver>(heard);
        var before = await grains.GetGrain<IWarehouseGrain>(siteId).Subscribe(observer);

        await cluster.Cluster.KillSiloAsync(cluster.Cluster.GetActiveSilos().Single(s => s.SiloAddress == host));
        try
        {
            var after = await grains.GetGrain<IWarehouseGrain>(siteId).Subscribe(observer);
            Assert.NotEqual(before.Activation, after.Activation);
            Assert.NotEqual(host, cluster.HostOf(site));

            await grains.GetGrain<IWarehouseGrain>(siteId).ReportRack(
                new RackReport("MovedRack1", HazardLevel.Critical, 8, null, null, PropagationRisk.None, [new ModuleAlert("MovedRack1_Module01", HazardLevel.Critical, "Hot", TestReadings.Start)], TestReadings.Start));

            var change = await heard.NextAsync();
            Assert.Equal((after.Activation, after.Sequence + 1), (change.Activation, change.Sequence));
        }
        finally
        {
            await cluster.Cluster.StartAdditionalSiloAsync(); // back to three silos for the next test
        }
    }
}

/// <summary>An observer that keeps what it was told.</summary>
internal sealed class HeardChanges : ISiteObserver
{
    private readonly SemaphoreSlim _arrived = new(0);

    public ConcurrentQueue<SiteVersion> Versions { get; } = new();

    public Task SiteChanged(SiteVersion version)
    {
        Versions.Enqueue(version);
        _arrived.Release();
        return Task.CompletedTask;
    }

    /// <summary>The next change heard (taken from <see cref="Versions"/>); fails after 30 s without one.</summary>
    public async Task<SiteVersion> NextAsync()
    {
        Assert.True(await _arrived.WaitAsync(TimeSpan.FromSeconds(30)), "no change was heard");
        Assert.True(Versions.TryDequeue(out var version));
        return version;
    }
}
