using HvsGrains.Runtime.Tests.Grains;
using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests;

public sealed class TurnTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task A_thousand_concurrent_calls_never_overlap_and_all_land()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var grain = silo.Grains.GetGrain<ICounterGrain>("busy");

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(grain.IncrementSlowly)));

        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        Assert.Equal(1000, await grain.GetCount());
        Assert.Equal(1, await grain.GetMaxConcurrency());
    }

    [Fact]
    public async Task Racing_first_calls_create_one_activation()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 64).Select(_ => Task.Run(() =>
        {
            start.Wait();
            return silo.Grains.GetGrain<ICounterGrain>("raced").Increment();
        })).ToList();
        start.Set();

        await Task.WhenAll(calls);

        Assert.Equal(1, ActivationLog.Count(silo.Log.Constructed, "raced"));
        Assert.Equal(1, ActivationLog.Count(silo.Log.Activated, "raced"));
        Assert.Equal(64, await silo.Grains.GetGrain<ICounterGrain>("raced").GetCount());
        Assert.Equal(1, silo.Runtime.ActivationCount);
    }

    [Fact]
    public async Task A_throwing_method_fails_its_caller_only_and_leaves_the_grain_usable()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var grain = silo.Grains.GetGrain<ICounterGrain>("fragile");
        await grain.Increment();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("sensor exploded"));

        Assert.Equal("sensor exploded", error.Message);
        Assert.Equal(2, await grain.Increment());
        Assert.Equal(1, ActivationLog.Count(silo.Log.Activated, "fragile"));
    }

    [Fact]
    public async Task One_way_calls_return_before_the_callee_runs()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var grain = silo.Grains.GetGrain<ICounterGrain>("oneway");

        var gate = grain.WaitAtGate();
        var added = grain.Add(5);
        var count = grain.GetCount();

        Assert.True(gate.IsCompleted);
        Assert.True(added.IsCompleted);
        await Task.Delay(50);
        Assert.False(count.IsCompleted);
        silo.Log.Gate.SetResult();
        Assert.Equal(5, await count);
    }

    [Fact]
    public async Task Grain_references_are_values_naming_their_grain()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);

        var first = silo.Grains.GetGrain<ICounterGrain>("same");
        var second = silo.Grains.GetGrain<ICounterGrain>("same");

        Assert.Equal(first, second);
        Assert.NotEqual(first, silo.Grains.GetGrain<ICounterGrain>("other"));
        Assert.Equal("ICounterGrain/same", first.ToString());
        Assert.Equal(0, silo.Runtime.ActivationCount);
    }

    public void Dispose() => _database.Dispose();
}
