using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// The warehouse's side of the webhooks: turns alarm changes into outbox entries in the warehouse's own state (so they
/// are written with the change), hands deliverers only what has been written, and trims what every endpoint passed.
/// </summary>
public sealed class AlarmOutbox(OutboxState state, WebhookOptions options, TimeProvider clock)
{
    private long _written = state.LastNumber;

    /// <summary>False without endpoints: nothing is recorded and the warehouse takes no snapshot.</summary>
    public bool Enabled => options.Endpoints.Count > 0;

    public long LastNumber => state.LastNumber;

    /// <summary>The alarms as they are before a change, or null when nobody listens.</summary>
    public IReadOnlyList<Alarm>? Snapshot(List<Alarm> alarms) => Enabled ? alarms.ToArray() : null;

    /// <summary>Records the events between <paramref name="before"/> and <paramref name="after"/> and, for a rack report, its modules' level changes.</summary>
    public void Record(IReadOnlyList<Alarm>? before, IReadOnlyList<Alarm> after, RackReport? previous = null, RackReport? report = null)
    {
        if (before is null || !Enabled)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var (type, alarm) in AlarmChanges.Between(before, after, now))
        {
            Add(type, now, alarm, null);
        }

        if (report is not null && Wanted(WebhookEventTypes.ModuleLevelChanged))
        {
            foreach (var change in AlarmChanges.ModuleLevels(previous, report))
            {
                Add(WebhookEventTypes.ModuleLevelChanged, now, null, change);
            }
        }
    }

    /// <summary>The warehouse wrote its state up to <paramref name="number"/>; true when that made new entries readable.</summary>
    public bool Written(long number)
    {
        if (number <= _written)
        {
            return false;
        }

        _written = number;
        return true;
    }

    /// <summary>Written entries after <paramref name="after"/>, oldest first (a copy).</summary>
    public List<OutboxEntry> Read(long after, int max) =>
        [.. state.Entries.Where(e => e.Number > after && e.Number <= _written).Take(max)];

    public int CountAfter(long after, WebhookEndpointOptions endpoint) =>
        state.Entries.Count(e => e.Number > after && endpoint.Wants(e.Type));

    /// <summary>An endpoint passed <paramref name="number"/>; entries every configured endpoint passed are dropped. True when anything changed.</summary>
    public bool Pass(string endpoint, long number)
    {
        if (state.Passed.TryGetValue(endpoint, out var known) && known >= number)
        {
            return false;
        }

        state.Passed[endpoint] = number;
        var passedByAll = options.Endpoints.Keys.Select(name => state.Passed.GetValueOrDefault(name)).DefaultIfEmpty(long.MaxValue).Min();
        var trimmed = state.Entries.FindIndex(e => e.Number > passedByAll);
        state.Entries.RemoveRange(0, trimmed < 0 ? state.Entries.Count : trimmed);
        return true;
    }

    /// <summary>Tells the deliverers there is something new; one-way, so the warehouse never waits on a receiver.</summary>
    public void WakeDeliverers(IGrainFactory grains)
    {
        foreach (var endpoint in options.Endpoints.Keys)
        {
            grains.GetGrain<IWebhookDeliveryGrain>(endpoint).Wake().Ignore();
        }
    }

    private bool Wanted(string type) => options.Endpoints.Values.Any(e => e.Wants(type));

    private void Add(string type, DateTimeOffset now, Alarm? alarm, ModuleLevelChange? module)
    {
        if (Wanted(type))
        {
            var number = ++state.LastNumber;
            state.Entries.Add(new OutboxEntry(number, Guid.CreateVersion7(now), type, now, alarm, module));
        }
    }
}
