using HvsGrains.Grains.Racks;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Warehouse;

/// <summary>The site picture and its alarms. Alarm changes are written at once; rack figures on a timer.</summary>
[GrainType("warehouse")]
public sealed class WarehouseGrain(
    [PersistentState("warehouse")] IPersistentState<WarehouseState> state,
    IOptions<WarehouseOptions> options,
    SiteMetrics metrics,
    TimeProvider clock) : Grain, IWarehouseGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(10);
    private readonly SiteTally _tally = new();
    private readonly SiteObservers _observers = new(clock);
    private AlarmBook _alarms = null!;
    private SitePicture _picture = null!;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _alarms = new AlarmBook(state.State, options.Value.ClearedAlarmsKept, metrics.AlarmRaised);
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
        var alarmsChanged = _alarms.Reconcile(report);
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
        var result = _alarms.Acknowledge(alarmId, by, clock.GetUtcNow());
        if (result.Outcome == AcknowledgeOutcome.Acknowledged)
        {
            _dirty = true;
            PublishPicture(alarmsChanged: true);
            await FlushAsync();
        }

        return result;
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

    private async Task FlushAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }
}
