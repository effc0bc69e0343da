namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Giving memory back after a burst, bound from section "Hvs:Memory". The silo's GC is tuned for ingest
/// throughput (server GC without DATAS), which keeps what a burst committed while nothing allocates; once the silo
/// has been quiet for <see cref="IdleAfter"/> and holds <see cref="ReleasableBytes"/> more than after the last
/// release, one compacting collection gives the rest back to the operating system.
/// </summary>
public sealed class IdleMemoryOptions
{
    public const string SectionName = "Hvs:Memory";

    public bool ReleaseWhenIdle { get; set; } = true;

    /// <summary>How long allocation must stay below <see cref="IdleAllocationBytesPerSecond"/> before memory is given back.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Allocation rate below which the silo counts as quiet (ingest allocates hundreds of MiB/s; timers and the dashboard a few).</summary>
    public long IdleAllocationBytesPerSecond { get; set; } = 4 * 1024 * 1024;

    /// <summary>Growth of committed GC memory over the working size (after the last release) worth a full collection.</summary>
    public long ReleasableBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How often the allocation rate and committed memory are looked at.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws when a setting cannot work (a misconfiguration, found at startup).</summary>
    public void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleAfter, TimeSpan.Zero, nameof(IdleAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CheckInterval, TimeSpan.Zero, nameof(CheckInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(IdleAllocationBytesPerSecond, nameof(IdleAllocationBytesPerSecond));
        ArgumentOutOfRangeException.ThrowIfNegative(ReleasableBytes, nameof(ReleasableBytes));
    }
}
