using System.Text.Json;
using System.Threading.Channels;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>
/// Pushes the site picture to the dashboard's streams. While anyone watches, it polls the warehouse
/// grain (status, alarms) and each rack grain about once a second, reads the feed's meters, and sends
/// a new snapshot only when something changed. (A push from the grains themselves — an observer of the warehouse grain — is a
/// later improvement; polling keeps the grains untouched and costs a few calls a second.)
/// </summary>
public sealed partial class SiteFeed(
    IGrainFactory grains,
    FeedMeters meters,
    IOptions<WarehouseOptions> site,
    IOptions<DashboardOptions> options,
    IOptions<JsonOptions> json,
    ILogger<SiteFeed> logger) : BackgroundService
{
    private const int ClearedAlarmsShown = 20;

    private readonly object _gate = new();
    private readonly List<Channel<string>> _subscribers = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private string? _latest;

    /// <summary>Snapshots as JSON, the current one first; only the newest waits when a reader falls behind. Dispose to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate)
        {
            _subscribers.Add(channel);
            if (_latest is not null)
            {
                channel.Writer.TryWrite(_latest);
            }
        }

        Wake();
        return new Subscription(channel.Reader, () =>
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        });
    }

    /// <summary>One watcher of the site feed.</summary>
    public sealed class Subscription(ChannelReader<string> reader, Action leave) : IDisposable
    {
        public ChannelReader<string> Reader { get; } = reader;

        public void Dispose() => leave();
    }

    /// <summary>Builds a snapshot now from the grains.</summary>
    public async Task<SiteSnapshot> ReadAsync()
    {
        var warehouse = grains.GetGrain<IWarehouseGrain>(site.Value.SiteId);
        var status = await warehouse.GetStatus();
        var alarms = await warehouse.GetAlarms(null, null);
        var racks = await Task.WhenAll(status.Racks.Select(async report =>
        {
            var rack = await grains.GetGrain<IRackGrain>(report.RackId).GetStatus();
            return rack is null
                ? new RackView(report.RackId, report.Level, report.HottestModuleId, report.HottestTempC, report.Propagation, [])
                : new RackView(rack.RackId, rack.Level, rack.HottestModuleId, rack.HottestTempC, rack.Propagation,
                    rack.Modules.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToList());
        }));

        var shown = alarms.Where(a => a.IsActive).Concat(alarms.Where(a => !a.IsActive).Take(ClearedAlarmsShown)).ToList();
        return new SiteSnapshot(status.SiteId, status.Level, status.RackCount, status.ModuleCount, status.OpenAlarms, status.AcknowledgedAlarms,
            racks.OrderBy(r => r.RackId, StringComparer.Ordinal).ToList(), shown, meters.Read());
    }

    /// <summary>Polls now instead of at the next tick (a new subscriber, an acknowledgement).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            bool watched;
            lock (_gate)
            {
                watched = _subscribers.Count > 0;
            }

            if (watched)
            {
                await PollAsync();
            }

            try
            {
                await _wake.WaitAsync(options.Value.SitePollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync()
    {
        try
        {
            var snapshot = JsonSerializer.Serialize(await ReadAsync(), json.Value.SerializerOptions);
            lock (_gate)
            {
                if (snapshot == _latest)
                {
                    return;
                }

                _latest = snapshot;
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Writer.TryWrite(snapshot);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPollFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dashboard's site poll failed; it tries again at the next tick")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
