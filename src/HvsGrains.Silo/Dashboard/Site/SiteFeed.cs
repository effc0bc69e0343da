using System.Text.Json;
using HvsGrains.Grains.Warehouse;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>
/// The site page's live feed on this silo, pushed by the grains. While anyone watches, it subscribes a grain observer
/// (<see cref="ISiteObserver"/>) to the warehouse grain, reads the picture once, and reads it again only when the grain
/// tells of a change; each new picture goes to every watcher at once.
/// <para>
/// Why grain observers, not an Orleans stream: the warehouse grain is the one source and every silo wants every change,
/// which is what an observer per silo gives with no extra store; memory streams would need a pub-sub store (state
/// writes per subscription) and still lose events in flight when a silo dies. What observers lack, this makes up for:
/// a subscription lives only in the grain's activation, so it is renewed every <see cref="DashboardOptions.SiteSubscriptionRenewal"/>,
/// at once when cluster membership changes (the grain's silo may have died) and after a failed call; the
/// <see cref="SiteVersion"/> a renewal answers shows whether a change was missed meanwhile, and then the picture is read.
/// </para>
/// The feed and model figures are this silo's own meters (no grain calls), sent every
/// <see cref="DashboardOptions.FeedFiguresInterval"/> when they change.
/// </summary>
public sealed partial class SiteFeed(
    IGrainFactory grains,
    IClusterMembershipService membership,
    SiteReader reader,
    FeedMeters meters,
    SiteFeedMetrics metrics,
    IOptions<WarehouseOptions> site,
    IOptions<DashboardOptions> options,
    IOptions<JsonOptions> json,
    TimeProvider clock,
    ILogger<SiteFeed> logger) : BackgroundService
{
    public const string SiteEventName = "site";
    public const string FeedEventName = "feed";

    private readonly object _gate = new();
    private readonly List<SiteWatcher> _watchers = [];
    private readonly SemaphoreSlim _wake = new(0, 1);
    private SiteChangeListener? _listener; // Orleans holds an observer object weakly: this keeps it alive
    private ISiteObserver? _observer;
    private DateTimeOffset _renewAt;
    private bool _renewNow;
    private SiteVersion? _heard; // the newest version the grain told of
    private SiteVersion? _read; // the version the sent picture is at least at
    private SiteEvent? _site;
    private SiteEvent? _feed;

    /// <summary>A new watcher: the whole current picture first (when there is one yet), then every change. Dispose to leave.</summary>
    public SiteWatcher Watch()
    {
        var watcher = new SiteWatcher(Leave);
        lock (_gate)
        {
            _watchers.Add(watcher);
            foreach (var current in new[] { _site, _feed }.OfType<SiteEvent>())
            {
                watcher.Offer(current);
            }
        }

        metrics.ClientConnected();
        Wake();
        return watcher;
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var membershipChanges = RenewOnMembershipChangesAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var watched = Watched;
            if (watched)
            {
                await FollowAsync();
            }
            else if (_observer is not null)
            {
                await StopFollowingAsync();
            }

            try
            {
                await _wake.WaitAsync(watched ? options.Value.FeedFiguresInterval : Timeout.InfiniteTimeSpan, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await membershipChanges;
    }

    private bool Watched
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count > 0;
            }
        }
    }

    /// <summary>Renews the subscription when due, reads the picture when the grain is at a version not yet read, sends the figures.</summary>
    private async Task FollowAsync()
    {
        try
        {
            bool renew;
            lock (_gate)
            {
                renew = _observer is null || _renewNow || clock.GetUtcNow() >= _renewAt;
            }

            if (renew)
            {
                await SubscribeAsync();
            }

            SiteVersion? heard, read;
            lock (_gate)
            {
                (heard, read) = (_heard, _read);
            }

            if (heard is not null && heard != read)
            {
                // A new activation may follow a lost one: read every rack, not only those whose report changed.
                var snapshot = await reader.ReadAsync(full: read is null || read.Activation != heard.Activation);
                Publish(SiteEventName, snapshot);
                lock (_gate)
                {
                    _read = heard;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_gate)
            {
                _renewNow = true; // the grain may have moved with its silo: subscribe again
            }

            LogFollowFailed(logger, ex);
        }

        Publish(FeedEventName, meters.Read());
    }

    private async Task SubscribeAsync()
    {
        if (_observer is null)
        {
            _listener = new SiteChangeListener(Changed);
            _observer = grains.CreateObjectReference<ISiteObserver>(_listener);
        }

        var version = await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).Subscribe(_observer);
        lock (_gate)
        {
            _renewNow = false;
            _renewAt = clock.GetUtcNow() + options.Value.SiteSubscriptionRenewal;
            Hear(version);
        }
    }

    /// <summary>Nobody watches any more: leave the grain alone and forget the picture (the next watcher gets a fresh one).</summary>
    private async Task StopFollowingAsync()
    {
        var observer = _observer!;
        (_observer, _listener) = (null, null);
        lock (_gate)
        {
            (_heard, _read, _site, _feed) = (null, null, null, null);
        }

        try
        {
            await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).Unsubscribe(observer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnsubscribeFailed(logger, ex); // the subscription lapses by itself
        }

        grains.DeleteObjectReference<ISiteObserver>(observer);
    }

    private void Changed(SiteVersion version)
    {
        metrics.NotificationReceived();
        lock (_gate)
        {
            Hear(version);
        }

        Wake();
    }

    private void Hear(SiteVersion version)
    {
        if (_heard is null || _heard.Activation != version.Activation || version.Sequence > _heard.Sequence)
        {
            _heard = version;
        }
    }

    private async Task RenewOnMembershipChangesAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                lock (_gate)
                {
                    _renewNow = true;
                }

                Wake();
            }
        }
        catch (OperationCanceledException)
        {
            // The silo stops.
        }
    }

    private void Publish<T>(string name, T value)
    {
        var item = new SiteEvent(name, JsonSerializer.Serialize(value, json.Value.SerializerOptions));
        lock (_gate)
        {
            ref var current = ref name == SiteEventName ? ref _site : ref _feed;
            if (current == item)
            {
                return;
            }

            current = item;
            foreach (var watcher in _watchers)
            {
                watcher.Offer(item);
            }
        }
    }

    private void Leave(SiteWatcher watcher)
    {
        lock (_gate)
        {
            if (!_watchers.Remove(watcher))
            {
                return;
            }
        }

        metrics.ClientLeft();
        Wake();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
        catch (ObjectDisposedException)
        {
            // The silo stops.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The site feed could not follow the warehouse grain; it subscribes again and reads the picture at the next tick")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The site feed could not unsubscribe from the warehouse grain; the subscription lapses by itself")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception);
}
