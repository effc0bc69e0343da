using System.Diagnostics.Metrics;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// Sends this silo's bin counts to the site's drift grain every <see cref="DriftOptions.ReportInterval"/> and keeps the
/// site's answer, which the metrics, the warehouse status and the drift endpoint show.
/// </summary>
public sealed partial class DriftReporter(
    DriftMonitor monitor,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<DriftOptions> options,
    IOptions<WarehouseOptions> site,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<DriftReporter> logger) : BackgroundService
{
    private string? _baselineSentFor;

    /// <summary>The site's drift as of this silo's last report, or null before the first.</summary>
    public ModelDriftView? Latest { get; private set; }

    /// <summary>Reports now and returns the site's drift with this silo's counts up to this moment.</summary>
    public async Task<ModelDriftView> ReportAsync()
    {
        var grain = grains.GetGrain<IModelDriftGrain>(site.Value.SiteId);
        var name = silo.SiloAddress.ToParsableString();
        var report = monitor.Snapshot(name, withBaseline: false);
        var withBaseline = report.HasBaseline && report.ModelSha256 != _baselineSentFor;
        var reply = await grain.Report(withBaseline ? monitor.Snapshot(name, withBaseline: true) : report);
        if (reply.NeedsBaseline)
        {
            reply = await grain.Report(monitor.Snapshot(name, withBaseline: true)); // the grain moved or restarted
        }

        _baselineSentFor = report.ModelSha256;
        Latest = reply.Site;
        return reply.Site;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = new DriftMetrics(meters, this); // its gauges read Latest; the meter lives as long as the factory
        using var timer = new PeriodicTimer(options.Value.ReportInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReportAsync();
                }
#pragma warning disable CA1031 // A report that fails (silo starting or stopping, grain moving) is sent again next tick.
                catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogReportFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Drift report to the site's drift grain failed; it is sent again at the next interval")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
