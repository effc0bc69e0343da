using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Gives memory back to the operating system once the silo is quiet after a burst (<see cref="IdleMemoryWatch"/>):
/// a quiet server GC rarely collects, so what a burst committed would otherwise stay. Costs nothing while busy.
/// </summary>
public sealed partial class IdleMemoryRelease(IOptions<IdleMemoryOptions> options, TimeProvider clock, ILogger<IdleMemoryRelease> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.ReleaseWhenIdle)
        {
            return;
        }

        var watch = new IdleMemoryWatch(settings);
        using var timer = new PeriodicTimer(settings.CheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
                if (!watch.Observe(clock.GetUtcNow(), GC.GetTotalAllocatedBytes(), before))
                {
                    continue;
                }

                // Aggressive: compacts everything and decommits free regions (the mode exists for this).
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
                watch.Released(after);
                LogReleased(logger, before / 1048576, after / 1048576);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Quiet after a burst: gave memory back, GC committed {BeforeMiB} MiB -> {AfterMiB} MiB")]
    private static partial void LogReleased(ILogger logger, long beforeMiB, long afterMiB);
}
