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

    /// <summary>
    /// Alarms in the operator's order (<see cref="AlarmOrder"/>): open before acknowledged, most severe
    /// then newest first, cleared last. All states when <paramref name="state"/> is null; all verdicts
    /// (judged or not) when <paramref name="verdict"/> is null.
    /// </summary>
    [AlwaysInterleave, Alias("alarms")]
    Task<IReadOnlyList<Alarm>> GetAlarms(AlarmState? state, AlarmVerdict? verdict);

    /// <summary>Every verdict kept for training, newest first, optionally of one kind.</summary>
    [AlwaysInterleave, Alias("verdicts")]
    Task<IReadOnlyList<AlarmVerdictRecord>> GetVerdicts(AlarmVerdict? verdict);

    [Alias("acknowledge-by")]
    Task<AlarmAcknowledgement> Acknowledge(string alarmId, Acknowledgement acknowledgement);

    [Alias("record-verdict")]
    Task<AlarmAcknowledgement> RecordVerdict(string alarmId, Acknowledgement judgement);

    /// <summary>
    /// Tells <paramref name="observer"/> of every change of the site picture until it unsubscribes or stops renewing
    /// (within <see cref="SiteObservers.Expiry"/>); answers the current version. Subscriptions are not persisted.
    /// </summary>
    [AlwaysInterleave, Alias("subscribe")]
    Task<SiteVersion> Subscribe(ISiteObserver observer);

    [AlwaysInterleave, Alias("unsubscribe")]
    Task Unsubscribe(ISiteObserver observer);
}
