using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Notifications;

/// <summary>Webhook delivery from the warehouse's outbox to a real HTTP receiver, retries on a fake clock.</summary>
public sealed class WebhookDeliveryTests : WebhookTestBed
{
    private static readonly string[] LifeOfA = [WebhookEventTypes.AlarmRaised, WebhookEventTypes.AlarmEscalated, WebhookEventTypes.AlarmCleared];
    private static readonly string[] LifeOfB = [WebhookEventTypes.AlarmRaised, WebhookEventTypes.AlarmAcknowledged];

    [Fact]
    public async Task Every_alarm_change_arrives_signed_with_its_event_id_and_a_delivery_signed_with_another_secret_is_refused()
    {
        await Receiver.StartAsync();
        await StartClusterAsync(new()
        {
            ["Hvs:Webhooks:Endpoints:levels:Url"] = Receiver.Url,
            ["Hvs:Webhooks:Endpoints:levels:Secret"] = Secret,
            ["Hvs:Webhooks:Endpoints:levels:Events:0"] = WebhookEventTypes.ModuleLevelChanged,
            ["Hvs:Webhooks:Endpoints:impostor:Url"] = Receiver.Url,
            ["Hvs:Webhooks:Endpoints:impostor:Secret"] = "not-the-receivers-secret",
        });

        var (a, b) = await PlayAlarmLifeAsync();

        Assert.True(await EventuallyWithTimeAsync(() => Task.FromResult(Receiver.Distinct.Count(w => w.AlarmId is not null) == 5), TimeSpan.FromSeconds(1)), await DescribeAsync());
        var alarmEvents = Receiver.Distinct.Where(w => w.AlarmId is not null).ToList();
        Assert.Equal(LifeOfA, alarmEvents.Where(w => w.AlarmId == a).Select(w => w.Type));
        Assert.Equal(LifeOfB, alarmEvents.Where(w => w.AlarmId == b).Select(w => w.Type));
        foreach (var hook in alarmEvents)
        {
            Assert.Equal(hook.EventId, hook.Body.GetProperty("id").GetString());
            Assert.Equal("site", hook.Body.GetProperty("site").GetString());
        }

        var acknowledged = alarmEvents.Single(w => w.Type == WebhookEventTypes.AlarmAcknowledged).Body.GetProperty("alarm");
        Assert.Equal(("Acknowledged", "Dana"), (acknowledged.GetProperty("state").GetString(), acknowledged.GetProperty("acknowledgedBy").GetString()));

        // The endpoint that asked for module levels only: M1 up to Warning and Critical and back, M2 up to Warning.
        Assert.True(await EventuallyWithTimeAsync(() => Task.FromResult(Receiver.Distinct.Count(w => w.AlarmId is null) == 4), TimeSpan.FromSeconds(1)), await DescribeAsync());
        var levels = Receiver.Distinct.Where(w => w.Type == WebhookEventTypes.ModuleLevelChanged)
            .Select(w => w.Body.GetProperty("module")).Select(m => $"{m.GetProperty("moduleId").GetString()}:{m.GetProperty("from").GetString()}>{m.GetProperty("to").GetString()}");
        Assert.Equal(["M1:Normal>Warning", "M2:Normal>Warning", "M1:Warning>Critical", "M1:Critical>Normal"], levels);

        // The receiver refused what the impostor's secret signed; its deliverer says why and keeps the event.
        Assert.True(Receiver.BadSignatures >= 1);
        var impostor = await StatusAsync("impostor");
        Assert.Equal(0, impostor.Delivered);
        Assert.Contains("401", impostor.LastFailure, StringComparison.Ordinal);
        Assert.Equal(5, impostor.Pending);

        Assert.True(await EventuallyWithTimeAsync(async () => (await StatusAsync()).Pending == 0, TimeSpan.FromSeconds(1)));
        var facility = await StatusAsync();
        Assert.Equal(0, facility.DeadLettered);
        Assert.True(facility.Delivered >= 5, $"{facility.Delivered} delivered"); // more only if an answer came too late and the event went again
        Assert.Equal(Receiver.Url, facility.Url);
    }

    [Fact]
    public async Task A_receiver_failing_then_down_for_minutes_then_up_gets_every_event_exactly_once_after_deduplication_in_order_per_alarm()
    {
        Receiver.Failing = true;
        await Receiver.StartAsync();
        await StartClusterAsync();

        var (a, b) = await PlayAlarmLifeAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Receiver.FailedAnswers >= 1), 3000), "the receiver was never asked");

        // Down: nothing listens. Ten minutes of fake time: the deliverer keeps trying, further and further apart.
        await Receiver.StopAsync();
        var downSince = Clock.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20);
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await StatusAsync()).LastFailureAt > downSince, 3000), "no attempt while the receiver was down");
        var down = await StatusAsync();
        Assert.True((0L, 5) == (down.Delivered, down.Pending), $"{down}; {await DescribeAsync()}");
        Assert.True(down.FailedAttempts >= 3, $"only {down.FailedAttempts} attempts in ten minutes");
        Assert.DoesNotContain("500", down.LastFailure, StringComparison.Ordinal);
        Assert.NotNull(down.NextAttemptAt); // still trying (due now or later: the deliverer's turn may lag the fake clock)
        Assert.Equal(0L, down.DeadLettered);

        // Up again: within the longest backoff every event arrives.
        Receiver.Failing = false;
        await Receiver.StartAsync();
        Assert.True(
            await Eventually.HoldsAsync(
                () =>
                {
                    Clock.Advance(TimeSpan.FromSeconds(5));
                    return Task.FromResult(Receiver.Distinct.Count == 5);
                },
                3000),
            $"received {Receiver.Distinct.Count} of 5");

        var distinct = Receiver.Distinct;
        Assert.Equal(LifeOfA, distinct.Where(w => w.AlarmId == a).Select(w => w.Type));
        Assert.Equal(LifeOfB, distinct.Where(w => w.AlarmId == b).Select(w => w.Type));
        Assert.Equal(distinct.Select(w => w.Sequence).Order(), distinct.Select(w => w.Sequence));
        Assert.Equal(0, Receiver.BadSignatures);
        Assert.True(await Eventually.HoldsAsync(async () => (await StatusAsync()) is { Pending: 0, Delivered: 5, FailedAttempts: 0 }, 3000));
    }

    [Fact]
    public async Task An_event_becomes_a_dead_letter_after_the_attempt_bound_and_delivery_moves_on()
    {
        Receiver.Failing = true;
        await Receiver.StartAsync();
        await StartClusterAsync(new() { ["Hvs:Webhooks:Delivery:MaxAttempts"] = "3" });

        await ReportAsync(a => a.Count == 1, ("M1", HazardLevel.Warning));
        Assert.True(
            await Eventually.HoldsAsync(
                async () =>
                {
                    Clock.Advance(TimeSpan.FromSeconds(30));
                    return (await StatusAsync()).DeadLettered == 1;
                },
                3000),
            "the event was never dead-lettered: " + await DescribeAsync());

        var status = await StatusAsync();
        var dead = Assert.Single(status.DeadLetters);
        Assert.Equal((WebhookEventTypes.AlarmRaised, 3, 0), (dead.Type, dead.Attempts, status.Pending));
        Assert.Contains("500", dead.Reason, StringComparison.Ordinal);
        Assert.Equal(3, Receiver.FailedAnswers);

        // The next event is not stuck behind the dead one.
        Receiver.Failing = false;
        await Warehouse.Acknowledge(dead.AlarmId!, new Acknowledgement("operator-key", "Sam"));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Receiver.Distinct.Count == 1), 3000));
        Assert.Equal(WebhookEventTypes.AlarmAcknowledged, Assert.Single(Receiver.Distinct).Type);
    }

    [Fact]
    public async Task A_notification_is_stored_with_its_alarm_and_survives_killed_silos_until_the_receiver_returns()
    {
        await StartClusterAsync(); // the receiver is not listening
        await ReportAsync(a => a.Count == 1, ("M1", HazardLevel.Warning));
        Assert.True(await Eventually.HoldsAsync(async () => (await StatusAsync()).FailedAttempts >= 1, 3000));

        // The alarm and its event are in the same stored state.
        var stored = (await Cluster.ReadStoredAsync<WarehouseState>("warehouse", Warehouse.GetGrainId())).State!;
        var alarm = Assert.Single(stored.Alarms);
        var entry = Assert.Single(stored.Outbox.Entries);
        Assert.Equal((WebhookEventTypes.AlarmRaised, alarm.Id), (entry.Type, entry.Alarm!.Id));

        await Cluster.RestartSilosAsync(kill: true);
        await Receiver.StartAsync();
        Assert.True(
            await Eventually.HoldsAsync(
                () =>
                {
                    Clock.Advance(TimeSpan.FromSeconds(5));
                    return Task.FromResult(Receiver.Distinct.Count == 1);
                },
                3000),
            "the event recorded before the kill never arrived");
        var hook = Assert.Single(Receiver.Distinct);
        Assert.Equal((entry.EventId.ToString(), alarm.Id), (hook.EventId, hook.AlarmId));

        // Delivered entries are trimmed from the warehouse's outbox (written with its next flush).
        Assert.True(await Eventually.HoldsAsync(
            async () =>
            {
                Clock.Advance(TimeSpan.FromSeconds(10));
                return (await Cluster.ReadStoredAsync<WarehouseState>("warehouse", Warehouse.GetGrainId())).State!.Outbox.Entries.Count == 0;
            },
            3000));
    }
}
