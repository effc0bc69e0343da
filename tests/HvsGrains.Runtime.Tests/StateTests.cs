using HvsGrains.Runtime.Tests.Grains;
using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests;

public sealed class StateTests : IDisposable
{
    private readonly TempDatabase _database = new();

    [Fact]
    public async Task State_survives_deactivation_and_a_silo_restart_on_the_same_file()
    {
        await using (var silo = await TestSilo.StartAsync(_database.Path))
        {
            var grain = silo.Grains.GetGrain<ITallyGrain>("rack-a");
            await grain.Add(3);
            await grain.Save();
            await grain.Add(4);
            await silo.Runtime.Activations.Single().RequestDeactivation(DeactivationReason.ApplicationRequested);
            Assert.Equal(7, await grain.Get());
            await grain.Add(5);
        }

        await using var restarted = await TestSilo.StartAsync(_database.Path);
        Assert.Equal(12, await restarted.Grains.GetGrain<ITallyGrain>("rack-a").Get());
    }

    [Fact]
    public async Task Shutdown_writes_the_state_of_every_grain()
    {
        await using (var silo = await TestSilo.StartAsync(_database.Path))
        {
            await Task.WhenAll(Enumerable.Range(1, 25).Select(i => silo.Grains.GetGrain<ITallyGrain>($"m{i}").Add(i)));
        }

        await using var restarted = await TestSilo.StartAsync(_database.Path);
        var totals = await Task.WhenAll(Enumerable.Range(1, 25).Select(i => restarted.Grains.GetGrain<ITallyGrain>($"m{i}").Get()));
        Assert.Equal(Enumerable.Range(1, 25), totals);
    }

    [Fact]
    public async Task A_write_based_on_a_stale_version_conflicts()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var grain = silo.Grains.GetGrain<ITallyGrain>("contested");
        await grain.Add(1);
        await grain.Save();
        var etag = await grain.GetEtag();

        // Another writer (a second silo, a repair script) moves the stored version on.
        var id = new GrainId("ITallyGrain", "contested");
        await silo.Storage.WriteAsync("tally", id, "{\"total\":100}"u8.ToArray(), etag, CancellationToken.None);

        await grain.Add(1);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(grain.Save);
        Assert.Equal(etag, conflict.ExpectedEtag);
        Assert.NotEqual(etag, conflict.StoredEtag);
        Assert.Contains("changed by another writer", conflict.Message);
        Assert.Equal(2, await grain.Get()); // the grain is still usable
    }

    [Fact]
    public async Task Storage_refuses_inserting_over_existing_state_and_keeps_versions_through_clear()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var id = new GrainId("ITallyGrain", "direct");
        var first = await silo.Storage.WriteAsync("tally", id, [1], null, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteAsync("tally", id, [2], null, CancellationToken.None));
        var cleared = await silo.Storage.ClearAsync("tally", id, first, CancellationToken.None);
        await Assert.ThrowsAsync<InconsistentStateException>(() => silo.Storage.WriteAsync("tally", id, [3], first, CancellationToken.None));
        await silo.Storage.WriteAsync("tally", id, [4], cleared, CancellationToken.None);

        var stored = await silo.Storage.ReadAsync("tally", id, CancellationToken.None);
        Assert.Equal([4], stored!.Payload);
        Assert.NotEqual(cleared, stored.Etag);
    }

    [Fact]
    public async Task Clearing_state_resets_it_for_the_next_activation()
    {
        await using (var silo = await TestSilo.StartAsync(_database.Path))
        {
            var grain = silo.Grains.GetGrain<ITallyGrain>("cleared");
            await grain.Add(9);
            await grain.Save();
            await grain.Clear();
            await grain.Add(1);
        }

        await using var restarted = await TestSilo.StartAsync(_database.Path);
        Assert.Equal(1, await restarted.Grains.GetGrain<ITallyGrain>("cleared").Get());
    }

    public void Dispose() => _database.Dispose();
}
