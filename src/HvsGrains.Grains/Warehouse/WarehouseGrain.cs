using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Racks;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The site picture and its alarms. Alarm changes are written at once, with the webhook events they make (one write);
/// rack figures on a timer.
/// </summary>
[GrainType("warehouse")]
public sealed class WarehouseGrain(
    [PersistentState("warehouse")] IPersistentState<WarehouseState> state,
    IOptions<WarehouseOptions> options,
    IOptions<WebhookOptions> webhooks,
    SiteMetrics metrics,
    TimeProvider clock) : Grain, IWarehouseGrain, IWarehouseOutboxGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);
    private readonly SiteTally _tally = new();
    private AlarmBook _alarms = null!;
    private AlarmOutbox _outbox = null!;
    private SitePicture _picture = null!;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alarms = new AlarmBook(state.State, options.Value.ClearedAlarmsKept, metrics.AlarmRaised);
        _outbox = new AlarmOutbox(state.State.Outbox, webhooks.Value, clock);
        foreach (var rack in state.State.Racks.Values)
        {
            _tally.Replace(null, rack);
        }

        PublishPicture(alarmsChanged: true);
        this.RegisterGrainTimer(_ => FlushAsync(), FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public async Task ReportRack(RackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        state.State.Racks.TryGetValue(report.RackId, out var previous);
        state.State.Racks[report.RackId] = report;
        _tally.Replace(previous, report);
        _dirty = true;
        var before = _outbox.Snapshot(state.State.Alarms);
        var alarmsChanged = _alarms.Reconcile(report);
        _outbox.Record(before, state.State.Alarms, previous, report);
        PublishPicture(alarmsChanged);
        if (alarmsChanged || previous?.Level != report.Level)
        {
            await FlushAsync();
        }
    }

    public Task<WarehouseStatus> GetStatus()
    {
        var racks = state.State.Racks.Values.OrderBy(r => r.RackId, StringComparer.Ordinal).ToList();
        var alarms = state.State.Alarms;
        return Task.FromResult(new WarehouseStatus(
            this.GetPrimaryKeyString(),
            _tally.Level,
            racks.Count,
            racks.Sum(r => r.ModuleCount),
            alarms.Count(a => a.State == AlarmState.Open),
            alarms.Count(a => a.State == AlarmState.Acknowledged),
            racks));
    }

    public Task<IReadOnlyList<Alarm>> GetAlarms(AlarmState? filter) =>
        Task.FromResult<IReadOnlyList<Alarm>>(state.State.Alarms
            .Where(a => filter is null || a.State == filter)
            .OrderByDescending(a => a.UpdatedAt)
            .ThenByDescending(a => a.Id, StringComparer.Ordinal)
            .ToList());

    public async Task<AlarmAcknowledgement> Acknowledge(string alarmId, string by)
    {
        var before = _outbox.Snapshot(state.State.Alarms);
        var result = _alarms.Acknowledge(alarmId, by, clock.GetUtcNow());
        _outbox.Record(before, state.State.Alarms);
        if (result.Outcome == AcknowledgeOutcome.Acknowledged)
        {
            _dirty = true;
            PublishPicture(alarmsChanged: true);
            await FlushAsync();
        }

        return result;
    }

    public Task<IReadOnlyList<OutboxEntry>> ReadOutbox(long after, int max) =>
        Task.FromResult<IReadOnlyList<OutboxEntry>>(_outbox.Read(after, max));

    public Task<int> CountPending(string endpoint, long after) =>
        Task.FromResult(webhooks.Value.Endpoints.TryGetValue(endpoint, out var options) ? _outbox.CountAfter(after, options) : 0);

    public Task Passed(string endpoint, long number)
    {
        // Written with the next flush: until then a restart keeps a few delivered entries longer, nothing worse.
        _dirty |= _outbox.Pass(endpoint, number);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Another activation (maybe on another silo) reports the site from now on.
        metrics.Withdraw(this.GetPrimaryKeyString());
        return FlushAsync();
    }

    /// <summary>Hands the metrics a fresh picture; alarms are counted again only when they changed.</summary>
    private void PublishPicture(bool alarmsChanged)
    {
        _picture = alarmsChanged ? SitePicture.Of(this.GetPrimaryKeyString(), _tally, state.State.Alarms) : _picture.With(_tally);
        metrics.Publish(_picture);
    }

    private async Task FlushAsync()
    {
        if (_dirty)
        {
            var recorded = _outbox.LastNumber;
            await state.WriteStateAsync();
            _dirty = false;
            if (_outbox.Written(recorded))
            {
                _outbox.WakeDeliverers(GrainFactory);
            }
        }
    }
}
