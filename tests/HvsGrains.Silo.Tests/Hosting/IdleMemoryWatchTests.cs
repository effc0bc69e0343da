using HvsGrains.Silo.Hosting;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>When memory kept after a burst is given back: quiet long enough, and grown enough over the working size.</summary>
public sealed class IdleMemoryWatchTests
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private readonly IdleMemoryOptions _options = new()
    {
        IdleAfter = TimeSpan.FromSeconds(15),
        IdleAllocationBytesPerSecond = 4 * MiB,
        ReleasableBytes = 64 * MiB,
    };

    [Fact]
    public void Memory_is_given_back_once_the_silo_has_been_quiet_for_the_idle_time_after_a_burst()
    {
        var watch = new IdleMemoryWatch(_options);
        Assert.False(watch.Observe(T0, 0, 900 * MiB));
        Assert.False(watch.Observe(T0.AddSeconds(5), 2_000 * MiB, 900 * MiB)); // the burst: 400 MiB/s
        Assert.False(watch.Observe(T0.AddSeconds(10), 2_001 * MiB, 900 * MiB)); // quiet for 5 s
        Assert.False(watch.Observe(T0.AddSeconds(15), 2_002 * MiB, 900 * MiB)); // 10 s
        Assert.True(watch.Observe(T0.AddSeconds(20), 2_003 * MiB, 900 * MiB)); // 15 s
    }

    [Fact]
    public void A_busy_silo_keeps_its_memory()
    {
        var watch = new IdleMemoryWatch(_options);
        for (var i = 0; i < 20; i++)
        {
            Assert.False(watch.Observe(T0.AddSeconds(5 * i), i * 100 * MiB, 900 * MiB)); // 20 MiB/s, for 100 s
        }
    }

    [Fact]
    public void After_a_release_memory_is_given_back_again_only_when_it_grew_by_the_releasable_amount()
    {
        var watch = new IdleMemoryWatch(_options);
        watch.Observe(T0, 0, 900 * MiB);
        Assert.True(watch.Observe(T0.AddSeconds(20), MiB, 900 * MiB));
        watch.Released(300 * MiB);

        Assert.False(watch.Observe(T0.AddSeconds(40), 2 * MiB, 350 * MiB)); // quiet, 50 MiB over the working size
        Assert.True(watch.Observe(T0.AddSeconds(60), 3 * MiB, 380 * MiB)); // quiet, 80 MiB over
        Assert.Equal(300 * MiB, watch.WorkingSize);
    }
}
