using HvsGrains.Runtime.Tests.Grains;
using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public async Task Idle_grains_deactivate_when_the_clock_passes_the_age_and_reactivate_with_their_state()
    {
        await using var silo = await StartAsync();
        var tally = silo.Grains.GetGrain<ITallyGrain>("idle");
        var counter = silo.Grains.GetGrain<ICounterGrain>("idle");
        await tally.Add(7);
        await counter.Increment();

        _clock.Advance(TimeSpan.FromMinutes(5));
        await silo.Runtime.LastCollection;
        Assert.Equal(2, silo.Runtime.ActivationCount);

        await counter.Increment(); // keeps the counter busy: only the tally is idle at 10 minutes
        _clock.Advance(TimeSpan.FromMinutes(6));
        await silo.Runtime.LastCollection;
        Assert.Equal(1, silo.Runtime.ActivationCount);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await silo.Runtime.LastCollection;
        Assert.Equal(0, silo.Runtime.ActivationCount);
        Assert.Equal(1, ActivationLog.Count(silo.Log.Deactivated, "idle"));
        Assert.Contains(DeactivationReason.IdleTimeout, silo.Log.Reasons);

        Assert.Equal(7, await tally.Get());
        Assert.Equal(0, await counter.GetCount());
        Assert.Equal(2, ActivationLog.Count(silo.Log.Activated, "idle"));
    }

    [Fact]
    public async Task A_grain_that_asks_to_deactivate_is_replaced_by_a_fresh_activation()
    {
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<ICounterGrain>("asked");
        await grain.Increment();

        await grain.Deactivate();
        var afterwards = await grain.GetCount();

        Assert.Equal(0, afterwards);
        Assert.Equal(2, ActivationLog.Count(silo.Log.Activated, "asked"));
        Assert.Contains(DeactivationReason.ApplicationRequested, silo.Log.Reasons);
    }

    [Fact]
    public async Task Timers_fire_as_turns_and_stop_at_deactivation()
    {
        await using var silo = await StartAsync();
        var grain = silo.Grains.GetGrain<ITickerGrain>("ticker");
        await grain.Start(TimeSpan.FromSeconds(1));

        for (var second = 1; second <= 5; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var busy = Enumerable.Range(0, 10).Select(_ => grain.Busy()).ToList();
            var expected = second;
            Assert.True(await Eventually.HoldsAsync(async () => await grain.GetTicks() == expected), $"tick {second} did not run");
            await Task.WhenAll(busy);
        }

        Assert.Equal(1, await grain.GetMaxConcurrency());

        _clock.Advance(TimeSpan.FromMinutes(11));
        await silo.Runtime.LastCollection;
        var ticksAtDeactivation = ActivationLog.Count(silo.Log.Ticks, "ticker");
        Assert.Equal(0, silo.Runtime.ActivationCount);

        _clock.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        Assert.Equal(ticksAtDeactivation, ActivationLog.Count(silo.Log.Ticks, "ticker"));
        Assert.Equal(0, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Shutdown_deactivates_every_grain_and_refuses_new_calls()
    {
        await using var silo = await StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => silo.Grains.GetGrain<ICounterGrain>($"c{i}").Increment()));

        await silo.StopAsync();

        Assert.Equal(0, silo.Runtime.ActivationCount);
        Assert.Equal(20, silo.Log.Deactivated.Count);
        Assert.All(silo.Log.Reasons, r => Assert.Equal(DeactivationReason.Shutdown, r));
        await Assert.ThrowsAsync<Activation.GrainRuntimeStoppedException>(() => silo.Grains.GetGrain<ICounterGrain>("late").Increment());
    }

    private Task<TestSilo> StartAsync() => TestSilo.StartAsync(_database.Path, _clock, o =>
    {
        o.CollectionAge = TimeSpan.FromMinutes(10);
        o.CollectionQuantum = TimeSpan.FromMinutes(1);
    });

    public void Dispose() => _database.Dispose();
}
