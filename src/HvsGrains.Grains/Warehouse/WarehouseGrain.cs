using HvsGrains.Grains.Hazard;
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
    private readonly SiteObservers _observers = new(clock);
    private AlarmBook _alarms = null!;
    private AlarmOutbox _outbox = null!;
    private AlarmDesk _desk = null!;
    private SensorFaultAdvisories _advisories = null!;
    private SitePicture _picture = null!;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alarms = new AlarmBook(state.State, options.Value.ClearedAlarmsKept, metrics.AlarmRaised, clock);
        _outbox = new AlarmOutbox(state.State.Outbox, webhooks.Value, clock);
        _desk = new AlarmDesk(state.State, options.Value.VerdictsKept);
        _advisories = new SensorFaultAdvisories(state.State, metrics.AlarmRaised, clock);
        _dirty = AlarmClocks.Upgrade(state.State.Alarms);
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
        if (previous is not null && report.Sequence != 0 && report.Sequence < previous.Sequence)
        {
            return; // reports go one-way: an older one arriving late must not undo a newer one
        }

        var empty = report.ModuleCount == 0; // every module moved to other racks
        if (empty)
        {
            state.State.Racks.Remove(report.RackId);
        }
        else
        {
            state.State.Racks[report.RackId] = report;
        }

        _tally.Replace(previous, empty ? null : report);
        _dirty = true;
        var before = _outbox.Snapshot(state.State.Alarms);
        var alarmsChanged = _alarms.Reconcile(report);
        if (_advisories.Reconcile(report))
        {
            alarmsChanged = true;
            _alarms.TrimCleared();
        }

        _outbox.Record(before, state.State.Alarms, previous, report);
        PublishPicture(alarmsChanged);
        if (alarmsChanged || empty || ReachesWarning(previous, report))
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
            alarms.Count(a => a.State == AlarmState.Open && a.Kind != AlarmKind.SensorFault),
            alarms.Count(a => a.State == AlarmState.Acknowledged && a.Kind != AlarmKind.SensorFault),
            racks));
    }

    public Task<IReadOnlyList<Alarm>> GetAlarms(AlarmState? filter, AlarmVerdict? verdict) =>
        Task.FromResult<IReadOnlyList<Alarm>>(state.State.Alarms
            .Where(a => (filter is null || a.State == filter) && (verdict is null || a.Verdict == verdict))
            .Order(AlarmOrder.Instance)
            .ToList());

    public Task<IReadOnlyList<AlarmVerdictRecord>> GetVerdicts(AlarmVerdict? verdict) => Task.FromResult(_desk.Verdicts(verdict));

    public Task<AlarmAcknowledgement> Acknowledge(string alarmId, Acknowledgement acknowledgement) =>
        SaveIfChangedAsync(() => _desk.Acknowledge(alarmId, acknowledgement, clock.GetUtcNow()));

    public Task<AlarmAcknowledgement> RecordVerdict(string alarmId, Acknowledgement judgement) =>
        SaveIfChangedAsync(() => _desk.RecordVerdict(alarmId, judgement, clock.GetUtcNow()));

    /// <summary>An operator's act on an alarm, written at once with the webhook events it makes.</summary>
    private async Task<AlarmAcknowledgement> SaveIfChangedAsync(Func<AlarmAcknowledgement> act)
    {
        var before = _outbox.Snapshot(state.State.Alarms);
        var result = act();
        _outbox.Record(before, state.State.Alarms);
        if (result.Outcome is AcknowledgeOutcome.Acknowledged or AcknowledgeOutcome.VerdictRecorded)
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

    public Task<SiteVersion> Subscribe(ISiteObserver observer) => Task.FromResult(_observers.Subscribe(this.GetPrimaryKeyString(), observer));

    public Task Unsubscribe(ISiteObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Another activation (maybe on another silo) reports the site from now on.
        metrics.Withdraw(this.GetPrimaryKeyString());
        return FlushAsync();
    }

    /// <summary>
    /// Hands the metrics a fresh picture (alarms are counted again only when they changed) and tells the subscribers:
    /// every change of levels or alarms passes here.
    /// </summary>
    private void PublishPicture(bool alarmsChanged)
    {
        _picture = alarmsChanged ? SitePicture.Of(this.GetPrimaryKeyString(), _tally, state.State.Alarms) : _picture.With(_tally);
        metrics.Publish(_picture);
        _observers.Changed(this.GetPrimaryKeyString());
    }

    /// <summary>
    /// A rack level at or above Warning is written at once; Normal and Watch ride the timer (rack levels are derived:
    /// modules and racks keep their own and report again after a crash), else a site of racks near Watch writes its whole state per change.
    /// </summary>
    private static bool ReachesWarning(RackReport? previous, RackReport report) =>
        previous?.Level != report.Level && (report.Level >= HazardLevel.Warning || previous?.Level >= HazardLevel.Warning);

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
