namespace HvsGrains.Grains.Notifications;

/// <summary>
/// The webhook endpoints of the site this silo watches and how they are delivered to, bound from "Hvs:Webhooks"
/// and validated at start (<see cref="WebhookOptionsValidator"/>).
/// </summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Hvs:Webhooks";

    /// <summary>Endpoints by name ("Hvs:Webhooks:Endpoints:facility:Url"); the name keys its delivery grain and its status.</summary>
    public Dictionary<string, WebhookEndpointOptions> Endpoints { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public WebhookDeliveryOptions Delivery { get; set; } = new();
}

/// <summary>One receiver: where, the shared secret that signs each delivery, and which events it wants.</summary>
public sealed class WebhookEndpointOptions
{
    /// <summary>Absolute http or https URL the events are POSTed to.</summary>
    public string Url { get; set; } = "";

    /// <summary>The HMAC-SHA256 key; never logged, never served.</summary>
    public string Secret { get; set; } = "";

    /// <summary>Event names (<see cref="WebhookEventTypes"/>); empty means the alarm's life cycle events.</summary>
    public List<string> Events { get; set; } = [];

    public bool Wants(string eventType) =>
        (Events.Count == 0 ? WebhookEventTypes.AlarmEvents : Events).Contains(eventType, StringComparer.Ordinal);

    /// <summary>Keeps the secret out of any log line that prints the options.</summary>
    public override string ToString() => $"{Url} ({string.Join(", ", Events.Count == 0 ? WebhookEventTypes.AlarmEvents : Events)})";
}

/// <summary>Retries, the dead-letter bound and the keeper's pace, shared by every endpoint.</summary>
public sealed class WebhookDeliveryOptions
{
    /// <summary>How long one POST may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The wait after the first failure; it doubles with each failure after that (with jitter).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts at one event before it becomes a dead letter.</summary>
    public int MaxAttempts { get; set; } = 100;

    /// <summary>Age of an event (since it was recorded) after which a failed attempt makes it a dead letter.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Dead letters kept per endpoint for the status; older ones are dropped first (the count stays).</summary>
    public int DeadLettersKept { get; set; } = 100;

    /// <summary>How often every silo wakes each endpoint's deliverer, so delivery resumes after a silo died or the grain was collected.</summary>
    public TimeSpan WakeInterval { get; set; } = TimeSpan.FromSeconds(30);
}
