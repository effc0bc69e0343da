using System.Diagnostics.Metrics;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>The site feed's instruments on the "HvsGrains.Dashboard" meter.</summary>
public sealed class SiteFeedMetrics
{
    public const string MeterName = "HvsGrains.Dashboard";

    private readonly Counter<long> _notifications;
    private readonly Counter<long> _events;
    private readonly UpDownCounter<long> _clients;

    public SiteFeedMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _notifications = meter.CreateCounter<long>("hvs.site_feed.notifications", "{notification}", "Site changes the warehouse grain pushed to this silo");
        _events = meter.CreateCounter<long>("hvs.site_feed.events", "{event}", "Server-sent events written to browsers on the site stream, by event (site or feed)");
        _clients = meter.CreateUpDownCounter<long>("hvs.site_feed.clients", "{client}", "Browsers connected to this silo's site stream");
    }

    public void NotificationReceived() => _notifications.Add(1);

    public void EventWritten(string name) => _events.Add(1, new KeyValuePair<string, object?>("event", name));

    public void ClientConnected() => _clients.Add(1);

    public void ClientLeft() => _clients.Add(-1);
}
