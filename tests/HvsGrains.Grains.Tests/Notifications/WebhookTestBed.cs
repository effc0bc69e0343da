using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Time.Testing;

namespace HvsGrains.Grains.Tests.Notifications;

/// <summary>A webhook receiver and a one-silo cluster on a fake clock that delivers to it; one per test.</summary>
public abstract class WebhookTestBed : IAsyncLifetime
{
    public const string Secret = "receiver-shared-secret-0123456789";
    public const string Rack = "RackW1";
    private WebhookCluster? _cluster;

    protected WebhookReceiver Receiver { get; } = new(Secret);

    protected WebhookCluster Cluster => _cluster ?? throw new InvalidOperationException("call StartClusterAsync first");

    protected FakeTimeProvider Clock => Cluster.Clock!;

    protected IWarehouseGrain Warehouse => Cluster.Grains.GetGrain<IWarehouseGrain>("site");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await Receiver.DisposeAsync();
    }

    /// <summary>Starts the cluster with endpoint "facility" at the receiver (alarm events) and the given extra settings.</summary>
    protected async Task StartClusterAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hvs:Webhooks:Endpoints:facility:Url"] = Receiver.Url,
            ["Hvs:Webhooks:Endpoints:facility:Secret"] = Secret,
            ["Hvs:Webhooks:Delivery:FirstRetryDelay"] = "00:00:05",
            ["Hvs:Webhooks:Delivery:MaxRetryDelay"] = "00:01:00",
            ["Hvs:Webhooks:Delivery:MaxAge"] = "30.00:00:00",
            ["Hvs:Webhooks:Delivery:WakeInterval"] = "00:00:30",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        _cluster = new WebhookCluster(settings);
        await _cluster.InitializeAsync();
    }

    /// <summary>What the outbox holds and the alarms are, for a failure message.</summary>
    protected async Task<string> DescribeAsync()
    {
        var outbox = await Cluster.Grains.GetGrain<IWarehouseOutboxGrain>("site").ReadOutbox(0, 100);
        var alarms = await Warehouse.GetAlarms(null, null);
        return $"outbox: {string.Join(", ", outbox.Select(e => $"{e.Number}:{e.Type}:{e.Alarm?.Id}"))}; alarms: {string.Join(", ", alarms.Select(a => $"{a.Id}:{a.State}:{a.Level}"))}; "
            + $"received: {string.Join(", ", Receiver.Accepted.Select(w => $"{w.Sequence}:{w.Type}"))}";
    }

    /// <summary>
    /// Waits for <paramref name="condition"/> while the fake clock moves on a little each time, so a retry scheduled
    /// after a transient failure (a slow answer on a busy machine) comes due.
    /// </summary>
    protected async Task<bool> EventuallyWithTimeAsync(Func<Task<bool>> condition, TimeSpan step) =>
        await Eventually.HoldsAsync(
            async () =>
            {
                if (await condition())
                {
                    return true;
                }

                Clock.Advance(step);
                return false;
            },
            3000);

    protected Task<WebhookStatus> StatusAsync(string endpoint = "facility") =>
        Cluster.Grains.GetGrain<IWebhookDeliveryGrain>(endpoint).GetStatus();

    /// <summary>Sends the rack's report and waits until the warehouse's alarms show its effect.</summary>
    protected async Task ReportAsync(Func<IReadOnlyList<Alarm>, bool> applied, params (string Module, HazardLevel Level)[] modules)
    {
        var at = Clock.GetUtcNow();
        await Warehouse.ReportRack(new RackReport(
            Rack,
            modules.Length == 0 ? HazardLevel.Normal : modules.Max(m => m.Level),
            8,
            null,
            null,
            PropagationRisk.None,
            [.. modules.Select(m => new ModuleAlert(m.Module, m.Level, $"{m.Module} at {m.Level}", at))],
            at));
        Assert.True(await Eventually.HoldsAsync(async () => applied(await Warehouse.GetAlarms(null, null)), 3000), "the warehouse did not apply the report");
    }

    /// <summary>
    /// Raises A (M1) and B (M2), escalates A, acknowledges B, clears A: five events, three of A and two of B.
    /// Returns the alarm ids (A, B).
    /// </summary>
    protected async Task<(string A, string B)> PlayAlarmLifeAsync()
    {
        await ReportAsync(a => a.Count(x => x.IsActive) == 1, ("M1", HazardLevel.Warning));
        await ReportAsync(a => a.Count(x => x.IsActive) == 2, ("M1", HazardLevel.Warning), ("M2", HazardLevel.Warning));
        await ReportAsync(a => a.Any(x => x.Level == HazardLevel.Critical), ("M1", HazardLevel.Critical), ("M2", HazardLevel.Warning));
        var alarms = await Warehouse.GetAlarms(null, null);
        var a = alarms.Single(x => x.ModuleId == "M1").Id;
        var b = alarms.Single(x => x.ModuleId == "M2").Id;
        Assert.Equal(AcknowledgeOutcome.Acknowledged, (await Warehouse.Acknowledge(b, new Acknowledgement("operator-key", "Dana"))).Outcome);
        await ReportAsync(x => x.Single(y => y.Id == a).State == AlarmState.Cleared, ("M2", HazardLevel.Warning));
        return (a, b);
    }
}
