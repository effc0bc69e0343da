using HvsGrains.Grains.Storage;
using Orleans.Storage;

namespace HvsGrains.Grains.Tests.Storage;

/// <summary>Many grains flushing at once reach SQLite one write at a time, and nobody waits on a thread.</summary>
public sealed class OneWriterGrainStorageTests
{
    [Fact]
    public async Task Concurrent_writes_and_clears_reach_the_inner_storage_one_at_a_time_and_all_complete()
    {
        var inner = new CountingStorage();
        var storage = new OneWriterGrainStorage(inner);
        var state = new GrainState<string>("x");

        var writes = Enumerable.Range(0, 200).Select(i => i % 10 == 0
            ? storage.ClearStateAsync("s", GrainId.Create("module", $"m{i}"), state)
            : storage.WriteStateAsync("s", GrainId.Create("module", $"m{i}"), state));
        await Task.WhenAll(writes);

        Assert.Equal(200, inner.Calls);
        Assert.Equal(1, inner.MostAtOnce);
    }

    [Fact]
    public async Task Reads_are_not_held_behind_a_write()
    {
        var inner = new CountingStorage();
        var storage = new OneWriterGrainStorage(inner);
        var state = new GrainState<string>("x");
        var slowWrite = storage.WriteStateAsync("s", GrainId.Create("module", "writer"), state);

        await storage.ReadStateAsync("s", GrainId.Create("module", "reader"), state);

        Assert.False(slowWrite.IsCompleted);
        await slowWrite;
    }

    /// <summary>An inner storage that takes a while per write and records how many overlap.</summary>
    private sealed class CountingStorage : IGrainStorage
    {
        private int _inFlight;
        private int _calls;
        private int _most;

        public int Calls => _calls;

        public int MostAtOnce => _most;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => OverlapAsync();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => OverlapAsync();

        private async Task OverlapAsync()
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _most, now);
            Interlocked.Increment(ref _calls);
            await Task.Delay(5);
            Interlocked.Decrement(ref _inFlight);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                {
                    return;
                }
            }
        }
    }
}
