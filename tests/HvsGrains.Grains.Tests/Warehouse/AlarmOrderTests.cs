using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Warehouse;

public sealed class AlarmOrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Open_alarms_come_first_most_severe_then_newest_then_acknowledged_and_cleared_last()
    {
        var alarms = new[]
        {
            Alarm("cleared-old", HazardLevel.Critical, AlarmState.Cleared, raised: 0, cleared: 5),
            Alarm("ack-critical", HazardLevel.Critical, AlarmState.Acknowledged, raised: 1),
            Alarm("open-warning-new", HazardLevel.Warning, AlarmState.Open, raised: 9),
            Alarm("open-critical-old", HazardLevel.Critical, AlarmState.Open, raised: 2),
            Alarm("cleared-new", HazardLevel.Warning, AlarmState.Cleared, raised: 3, cleared: 8),
            Alarm("open-warning-old", HazardLevel.Warning, AlarmState.Open, raised: 4),
            Alarm("ack-warning", HazardLevel.Warning, AlarmState.Acknowledged, raised: 7),
            Alarm("open-critical-new", HazardLevel.Critical, AlarmState.Open, raised: 6),
        };

        var ordered = alarms.Order(AlarmOrder.Instance).Select(a => a.Id).ToList();

        Assert.Equal(
            ["open-critical-new", "open-critical-old", "open-warning-new", "open-warning-old", "ack-critical", "ack-warning", "cleared-new", "cleared-old"],
            ordered);
    }

    [Fact]
    public void The_warehouse_grain_answers_in_that_order_through_its_list()
    {
        var state = new WarehouseState();
        state.Alarms.AddRange([
            Alarm("ALM-000001", HazardLevel.Critical, AlarmState.Acknowledged, raised: 0),
            Alarm("ALM-000002", HazardLevel.Warning, AlarmState.Open, raised: 1),
        ]);

        // The older, more severe alarm is being handled: the new unacknowledged one needs a person first.
        Assert.Equal(["ALM-000002", "ALM-000001"], state.Alarms.Order(AlarmOrder.Instance).Select(a => a.Id));
    }

    private static Alarm Alarm(string id, HazardLevel level, AlarmState state, int raised, int? cleared = null) =>
        new(id, AlarmKind.ModuleHazard, "RackA1", "M-" + id, level, level, state, "test", T0.AddMinutes(raised), T0.AddMinutes(cleared ?? raised),
            ClearedAt: cleared is { } c ? T0.AddMinutes(c) : null);
}
