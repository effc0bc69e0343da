using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace HvsGrains.Grains.Tests.Warehouse;

public sealed class AlarmBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    // The server's clock runs a day after the sensors' so a field on the wrong clock shows.
    private static readonly DateTimeOffset ServerT0 = T0.AddDays(1);
    private readonly FakeTimeProvider _server = new(ServerT0);
    private readonly WarehouseState _state = new();
    private readonly AlarmBook _book;
    private readonly AlarmDesk _desk;

    public AlarmBookTests()
    {
        _book = new AlarmBook(_state, clearedAlarmsKept: 2, clock: _server);
        _desk = new AlarmDesk(_state, verdictsKept: 10);
    }

    [Fact]
    public void A_module_at_Warning_raises_one_open_alarm_and_Watch_raises_none()
    {
        Assert.False(_book.Reconcile(Report(T0, ("M1", HazardLevel.Watch))));
        Assert.True(_book.Reconcile(Report(T0.AddMinutes(1), ("M1", HazardLevel.Warning))));
        Assert.False(_book.Reconcile(Report(T0.AddMinutes(2), ("M1", HazardLevel.Warning))));

        var alarm = Assert.Single(_state.Alarms);
        Assert.Equal(("ALM-000001", "M1", AlarmState.Open, HazardLevel.Warning), (alarm.Id, alarm.ModuleId, alarm.State, alarm.Level));
        Assert.Equal((T0.AddMinutes(1), ServerT0), (alarm.CauseSeenAt!.Value, alarm.RaisedAt));
    }

    [Fact]
    public void Acknowledgement_records_who_and_when_and_an_escalation_reopens_the_alarm()
    {
        _book.Reconcile(Report(T0, ("M1", HazardLevel.Warning)));

        var ack = _desk.Acknowledge("ALM-000001", new Acknowledgement("operator-key", "Dana"), ServerT0.AddMinutes(3));
        Assert.Equal(AcknowledgeOutcome.Acknowledged, ack.Outcome);
        Assert.Equal(("Dana", "operator-key", ServerT0.AddMinutes(3)), (ack.Alarm!.AcknowledgedBy, ack.Alarm.AcknowledgedWithKey, ack.Alarm.AcknowledgedAt!.Value));
        Assert.Equal(AcknowledgeOutcome.AlreadyAcknowledged, _desk.Acknowledge("ALM-000001", new Acknowledgement("operator-key", "Sam"), ServerT0.AddMinutes(4)).Outcome);

        _book.Reconcile(Report(T0.AddMinutes(5), ("M1", HazardLevel.Critical)));
        var escalated = Assert.Single(_state.Alarms);
        Assert.Equal((AlarmState.Open, HazardLevel.Critical, HazardLevel.Critical), (escalated.State, escalated.Level, escalated.PeakLevel));
        Assert.Equal("Dana", escalated.AcknowledgedBy);
    }

    [Fact]
    public void An_alarm_clears_when_its_cause_is_gone_and_cannot_be_acknowledged_afterwards()
    {
        _book.Reconcile(Report(T0, ("M1", HazardLevel.Critical), ("M2", HazardLevel.Warning)));
        _server.Advance(TimeSpan.FromMinutes(2));
        _book.Reconcile(Report(T0.AddMinutes(9), ("M1", HazardLevel.Warning), ("M2", HazardLevel.Watch)));

        var m1 = _state.Alarms.Single(a => a.ModuleId == "M1");
        var m2 = _state.Alarms.Single(a => a.ModuleId == "M2");
        Assert.Equal((AlarmState.Open, HazardLevel.Warning, HazardLevel.Critical), (m1.State, m1.Level, m1.PeakLevel));
        Assert.Equal((AlarmState.Cleared, ServerT0.AddMinutes(2), T0), (m2.State, m2.ClearedAt!.Value, m2.CauseSeenAt!.Value));
        var by = new Acknowledgement("operator-key", "Dana");
        Assert.Equal(AcknowledgeOutcome.AlreadyCleared, _desk.Acknowledge(m2.Id, by, ServerT0.AddMinutes(10)).Outcome);
        Assert.Equal(AcknowledgeOutcome.NotFound, _desk.Acknowledge("ALM-123456", by, ServerT0).Outcome);
    }

    [Fact]
    public void Propagation_risk_raises_a_rack_alarm_and_old_cleared_alarms_are_trimmed()
    {
        var risk = new PropagationRisk(true, ["M1", "M2"], "M1 next to M2");
        _book.Reconcile(Report(T0, risk, ("M1", HazardLevel.Warning)));
        Assert.Contains(_state.Alarms, a => a.Kind == AlarmKind.Propagation && a.ModuleId is null && a.Subject == "RackA1");

        for (var i = 1; i <= 4; i++)
        {
            _book.Reconcile(Report(T0.AddMinutes(2 * i)));
            _book.Reconcile(Report(T0.AddMinutes((2 * i) + 1), ("M9", HazardLevel.Warning)));
        }

        _book.Reconcile(Report(T0.AddHours(1)));
        Assert.Equal(2, _state.Alarms.Count(a => a.State == AlarmState.Cleared));
        Assert.DoesNotContain(_state.Alarms, a => a.IsActive);
    }

    private static RackReport Report(DateTimeOffset at, params (string Module, HazardLevel Level)[] modules) =>
        Report(at, PropagationRisk.None, modules);

    private static RackReport Report(DateTimeOffset at, PropagationRisk risk, params (string Module, HazardLevel Level)[] modules) => new(
        "RackA1",
        modules.Length == 0 ? HazardLevel.Normal : modules.Max(m => m.Level),
        8,
        null,
        null,
        risk,
        modules.Select(m => new ModuleAlert(m.Module, m.Level, $"{m.Module} at {m.Level}", at)).ToList(),
        at);
}
