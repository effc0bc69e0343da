using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Warehouse;

public sealed class AlarmDeskTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly WarehouseState _state = new();
    private readonly AlarmDesk _desk;

    public AlarmDeskTests()
    {
        _desk = new AlarmDesk(_state, verdictsKept: 2);
        for (var i = 1; i <= 3; i++)
        {
            _state.Alarms.Add(new Alarm($"ALM-00000{i}", AlarmKind.ModuleHazard, "RackA1", $"M{i}", HazardLevel.Warning, HazardLevel.Critical,
                AlarmState.Open, "hot", T0, T0, CauseSeenAt: T0.AddMinutes(-1)));
        }
    }

    [Fact]
    public void An_acknowledgement_with_a_verdict_keeps_it_on_the_alarm_and_as_a_training_label()
    {
        var result = _desk.Acknowledge("ALM-000001", new Acknowledgement("operator-key", "Dana", AlarmVerdict.FalseAlarm), T0.AddMinutes(3));

        Assert.Equal(AcknowledgeOutcome.Acknowledged, result.Outcome);
        Assert.Equal((AlarmState.Acknowledged, AlarmVerdict.FalseAlarm), (result.Alarm!.State, result.Alarm.Verdict));
        var label = Assert.Single(_desk.Verdicts(null));
        Assert.Equal(("ALM-000001", "M1", HazardLevel.Critical, AlarmVerdict.FalseAlarm, "Dana", "operator-key"),
            (label.AlarmId, label.ModuleId, label.PeakLevel, label.Verdict, label.By, label.KeyName));
        Assert.Equal((T0.AddMinutes(-1), T0.AddMinutes(3)), (label.CauseSeenAt!.Value, label.At));
    }

    [Fact]
    public void A_verdict_can_follow_on_a_cleared_alarm_replaces_an_earlier_one_and_the_oldest_labels_go_beyond_the_limit()
    {
        _state.Alarms[1] = _state.Alarms[1] with { State = AlarmState.Cleared, ClearedAt = T0.AddMinutes(5) };
        var by = new Acknowledgement("admin-key");

        Assert.Equal(AcknowledgeOutcome.VerdictRecorded, _desk.RecordVerdict("ALM-000002", by with { Verdict = AlarmVerdict.Test }, T0.AddMinutes(6)).Outcome);
        _desk.RecordVerdict("ALM-000002", by with { Verdict = AlarmVerdict.TrueAlarm }, T0.AddMinutes(7));
        Assert.Equal([AlarmVerdict.TrueAlarm], _desk.Verdicts(null).Select(v => v.Verdict));
        Assert.Equal("admin-key", _desk.Verdicts(null)[0].By);

        _desk.RecordVerdict("ALM-000001", by with { Verdict = AlarmVerdict.FalseAlarm }, T0.AddMinutes(8));
        _desk.RecordVerdict("ALM-000003", by with { Verdict = AlarmVerdict.FalseAlarm }, T0.AddMinutes(9));

        Assert.Equal(["ALM-000003", "ALM-000001"], _desk.Verdicts(AlarmVerdict.FalseAlarm).Select(v => v.AlarmId));
        Assert.Empty(_desk.Verdicts(AlarmVerdict.TrueAlarm));
        Assert.Equal(AcknowledgeOutcome.NotFound, _desk.RecordVerdict("ALM-999999", by with { Verdict = AlarmVerdict.Test }, T0).Outcome);
    }

    [Theory]
    [InlineData("true-alarm", AlarmVerdict.TrueAlarm)]
    [InlineData("FalseAlarm", AlarmVerdict.FalseAlarm)]
    [InlineData("false_alarm", AlarmVerdict.FalseAlarm)]
    [InlineData(" TEST ", AlarmVerdict.Test)]
    public void Verdict_names_parse_in_kebab_case_or_as_the_enum(string text, AlarmVerdict expected)
    {
        Assert.True(AlarmVerdicts.TryParse(text, out var verdict));
        Assert.Equal(expected, verdict);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(null)]
    public void Anything_else_is_not_a_verdict(string? text) => Assert.False(AlarmVerdicts.TryParse(text, out _));

    [Fact]
    public void Alarms_stored_before_the_clock_split_keep_their_sensor_time_as_the_cause_time()
    {
        var stored = new List<Alarm> { _state.Alarms[0] with { CauseSeenAt = null, RaisedAt = T0.AddMinutes(-30) }, _state.Alarms[1] };

        Assert.True(AlarmClocks.Upgrade(stored));
        Assert.Equal(T0.AddMinutes(-30), stored[0].CauseSeenAt);
        Assert.Equal(T0.AddMinutes(-1), stored[1].CauseSeenAt);
        Assert.False(AlarmClocks.Upgrade(stored));
    }
}
