using HvsGrains.Grains.Racks;
using Orleans.Concurrency;

namespace HvsGrains.Grains.Warehouse;

/// <summary>The site: every rack's picture and the alarms. Key: the site id.</summary>
[Alias("hvs.warehouse")]
public interface IWarehouseGrain : IGrainWithStringKey
{
    [OneWay, Alias("report-rack")]
    Task ReportRack(RackReport report);

    // Reads interleave: a rack report awaiting its state write (behind every other grain's write under load)
    // must not hold the site picture up; a read is one synchronous turn over in-memory state.
    [AlwaysInterleave, Alias("status")]
    Task<WarehouseStatus> GetStatus();

    /// <summary>Alarms, newest first; all when <paramref name="state"/> is null.</summary>
    [AlwaysInterleave, Alias("alarms")]
    Task<IReadOnlyList<Alarm>> GetAlarms(AlarmState? state);

    [Alias("acknowledge")]
    Task<AlarmAcknowledgement> Acknowledge(string alarmId, string by);

    /// <summary>
    /// Tells <paramref name="observer"/> of every change of the site picture until it unsubscribes or stops renewing
    /// (within <see cref="SiteObservers.Expiry"/>); answers the current version. Subscriptions are not persisted.
    /// </summary>
    [AlwaysInterleave, Alias("subscribe")]
    Task<SiteVersion> Subscribe(ISiteObserver observer);

    [AlwaysInterleave, Alias("unsubscribe")]
    Task Unsubscribe(ISiteObserver observer);
}
