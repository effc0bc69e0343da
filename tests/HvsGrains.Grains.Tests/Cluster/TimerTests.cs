using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.Cluster;

[Collection(FakeClockCollection.Name)]
public sealed class TimerTests(FakeClockCluster cluster)
{
    [Fact]
    public async Task The_snapshot_timer_writes_the_module_every_interval_of_fake_time()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var readings = Hot.Calm(moduleId, rack, 20);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        var first = await cluster.IngestAsync(readings.Take(10).ToList());
        // Ingest is one-way: wait until the module is active with its timer set before the clock moves.
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 10));

        // A first Normal is not worth a write of its own; the first tick is due within 0.5–1.5 intervals.
        Assert.Null(await cluster.StoredSequenceAsync(moduleId));
        cluster.Clock!.Advance(TimeSpan.FromSeconds(91));
        Assert.True(await Eventually.HoldsAsync(async () => await cluster.StoredSequenceAsync(moduleId) == first[^1]));

        // Later readings wait for the next tick, one interval away.
        var second = await cluster.IngestAsync(readings.Skip(10).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 20));
        Assert.Equal(first[^1], await cluster.StoredSequenceAsync(moduleId));
        cluster.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await Eventually.HoldsAsync(async () => await cluster.StoredSequenceAsync(moduleId) == second[^1]));
    }
}

[Collection(IdleCollectionCollection.Name)]
public sealed class IdleDeactivationTests(IdleCollectionCluster cluster)
{
    [Fact]
    public async Task An_idle_module_is_collected_and_writes_its_state_as_it_goes()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        var sequences = await cluster.IngestAsync(Hot.Calm(moduleId, rack, 10));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 10));
        Assert.Null(await cluster.StoredSequenceAsync(moduleId)); // the fake clock holds the snapshot timer back

        // No more calls: Orleans collects the module once it has been idle for the collection age.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(cluster.HostOf(module) is null), attempts: 3000));

        Assert.Equal(sequences[^1], await cluster.StoredSequenceAsync(moduleId));
        Assert.Equal(10, (await module.GetStatus())!.DataQuality.AppliedReadings);
    }
}
