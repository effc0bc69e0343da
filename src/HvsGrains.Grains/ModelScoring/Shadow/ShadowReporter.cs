using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// Sends this silo's shadow tallies to their trials' grains every <see cref="ShadowOptions.ReportInterval"/>: one call
/// per silo and interval, only when its modules compared something. A report the grain did not take goes with the next.
/// </summary>
public sealed partial class ShadowReporter(
    HazardModelManager models,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    ShadowMetrics metrics,
    IOptions<ShadowOptions> options,
    TimeProvider clock,
    ILogger<ShadowReporter> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Reports now what this silo has tallied (the API does before it answers, so this silo's part is current).</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            Exception? failed = null;
            foreach (var tally in models.TakeRetiredShadowTallies().Append(models.ShadowTally).OfType<ShadowTally>())
            {
                if (tally.Drain(silo.Name, clock.GetUtcNow()) is not { } report)
                {
                    continue;
                }

                try
                {
                    await grains.GetGrain<IShadowComparisonGrain>(tally.Trial).Report(report);
                    metrics.Reported(report.Counts);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    tally.Restore(report);
                    models.RetireShadowTally(tally); // tried again next time, whether or not the trial goes on
                    failed ??= exception;
                }
            }

            if (failed is not null)
            {
                throw new InvalidOperationException("A shadow trial's grain did not take this silo's report; it goes with the next.", failed);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogReportFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report the shadow comparison; it goes with the next report")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
