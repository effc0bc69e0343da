using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// Delivers the site's outbox to one endpoint, strictly in outbox order (so the events of each alarm arrive in the
/// order they happened), one event at a time. A failure schedules a retry on a grain timer with exponential backoff;
/// after the attempts or age bound the event becomes a dead letter and delivery moves on. As a grain it is the single
/// deliverer of its endpoint in the cluster, and its progress is in grain storage beside the warehouse's.
/// </summary>
[GrainType("webhook-delivery")]
public sealed partial class WebhookDeliveryGrain(
    [PersistentState("webhook-delivery")] IPersistentState<WebhookDeliveryState> state,
    IOptions<WebhookOptions> options,
    IOptions<WarehouseOptions> site,
    WebhookSender sender,
    TimeProvider clock,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain
{
    private const int BatchSize = 50;
    private IGrainTimer? _retry;

    private string Endpoint => this.GetPrimaryKeyString();

    private IWarehouseOutboxGrain Outbox => GrainFactory.GetGrain<IWarehouseOutboxGrain>(site.Value.SiteId);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Kept alive while a retry is due: the wake-up comes from this timer, not from a call.
        _retry = this.RegisterGrainTimer(DeliverAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Wake() => DeliverAsync(CancellationToken.None);

    public async Task<WebhookStatus> GetStatus()
    {
        var endpoint = options.Value.Endpoints.GetValueOrDefault(Endpoint);
        var pending = endpoint is null ? 0 : await Outbox.CountPending(Endpoint, state.State.Passed);
        return WebhookStatus.Of(Endpoint, endpoint, state.State, pending);
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Endpoints.TryGetValue(Endpoint, out var endpoint))
        {
            return; // no longer configured
        }

        var s = state.State;
        var passedBefore = s.Passed;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // One reading of the clock: it may move between two, and a due time gone negative throws.
                var wait = s.NextAttemptAt - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    _retry!.Change(wait.Value, Timeout.InfiniteTimeSpan);
                    return;
                }

                var batch = await Outbox.ReadOutbox(s.Passed, BatchSize);
                foreach (var entry in batch)
                {
                    if (!await DeliverAsync(endpoint, entry, cancellationToken))
                    {
                        break;
                    }
                }

                if (s.NextAttemptAt is null && batch.Count < BatchSize)
                {
                    return;
                }
            }
        }
        finally
        {
            if (s.Passed > passedBefore)
            {
                await Outbox.Passed(Endpoint, s.Passed);
            }
        }
    }

    /// <summary>One attempt at the head event; false when it failed and a retry is scheduled.</summary>
    private async Task<bool> DeliverAsync(WebhookEndpointOptions endpoint, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var s = state.State;
        if (!endpoint.Wants(entry.Type))
        {
            s.Passed = entry.Number; // written with the next delivery; passing it again costs nothing
            return true;
        }

        var outcome = await sender.SendAsync(Endpoint, endpoint, site.Value.SiteId, entry, cancellationToken);
        var now = clock.GetUtcNow();
        var delivery = options.Value.Delivery;
        if (outcome.Delivered)
        {
            s.Passed = entry.Number;
            s.Delivered++;
            s.LastSuccessAt = now;
            s.FailedAttempts = 0;
            s.NextAttemptAt = null;
        }
        else
        {
            s.FailedAttempts++;
            s.LastFailureAt = now;
            s.LastFailure = outcome.Reason;
            if (s.FailedAttempts >= delivery.MaxAttempts || now - entry.RecordedAt >= delivery.MaxAge)
            {
                DeadLetter(entry, now, outcome.Reason!);
            }
            else
            {
                s.NextAttemptAt = now + RetryDelay.After(s.FailedAttempts, delivery, Random.Shared);
            }
        }

        await state.WriteStateAsync(cancellationToken);
        return s.NextAttemptAt is null;
    }

    private void DeadLetter(OutboxEntry entry, DateTimeOffset now, string reason)
    {
        var s = state.State;
        LogDeadLetter(logger, entry.EventId, entry.Type, Endpoint, s.FailedAttempts, reason);
        s.DeadLetters.Add(new DeadLetter(entry.EventId, entry.Type, entry.Alarm?.Id, entry.RecordedAt, now, s.FailedAttempts, reason));
        var kept = options.Value.Delivery.DeadLettersKept;
        if (s.DeadLetters.Count > kept)
        {
            s.DeadLetters.RemoveRange(0, s.DeadLetters.Count - kept);
        }

        s.DeadLettered++;
        s.Passed = entry.Number;
        s.FailedAttempts = 0;
        s.NextAttemptAt = null;
    }

    [LoggerMessage(LogLevel.Error, "Webhook {EventId} ({Type}) to endpoint {Endpoint} dead-lettered after {Attempts} attempts: {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, Guid eventId, string type, string endpoint, int attempts, string reason);
}
