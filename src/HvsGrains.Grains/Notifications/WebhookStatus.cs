namespace HvsGrains.Grains.Notifications;

/// <summary>How an endpoint's deliveries are going, for the API and the site page. The URL is shown without query or user info.</summary>
[GenerateSerializer, Immutable, Alias("hvs.webhook-status")]
public sealed record WebhookStatus(
    [Id(0)] string Endpoint,
    [Id(1)] string Url,
    [Id(2)] IReadOnlyList<string> Events,
    [Id(3)] long Delivered,
    [Id(4)] int Pending,
    [Id(5)] DateTimeOffset? LastSuccessAt,
    [Id(6)] DateTimeOffset? LastFailureAt,
    [Id(7)] string? LastFailure,
    [Id(8)] int FailedAttempts,
    [Id(9)] DateTimeOffset? NextAttemptAt,
    [Id(10)] long DeadLettered,
    [Id(11)] IReadOnlyList<DeadLetter> DeadLetters)
{
    /// <summary>
    /// The status of <paramref name="endpoint"/> from its deliverer's state; null options: no longer configured. Lists
    /// are arrays: a status crosses silos, and Orleans has no codec for the compiler's collection-expression types.
    /// </summary>
    public static WebhookStatus Of(string endpoint, WebhookEndpointOptions? options, WebhookDeliveryState state, int pending)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new WebhookStatus(
            endpoint,
            options is null ? "" : Shown(options.Url),
            options is null ? [] : (options.Events.Count == 0 ? WebhookEventTypes.AlarmEvents : options.Events).ToArray(),
            state.Delivered,
            pending,
            state.LastSuccessAt,
            state.LastFailureAt,
            state.LastFailure,
            state.FailedAttempts,
            state.NextAttemptAt,
            state.DeadLettered,
            state.DeadLetters.ToArray());
    }

    /// <summary>The URL without user info or query, which may carry credentials.</summary>
    private static string Shown(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped) : "";
}

/// <summary>An event given up on after the attempts or age bound: kept for the record, no longer retried.</summary>
[GenerateSerializer, Immutable, Alias("hvs.webhook-dead-letter")]
public sealed record DeadLetter(
    [Id(0)] Guid EventId,
    [Id(1)] string Type,
    [Id(2)] string? AlarmId,
    [Id(3)] DateTimeOffset RecordedAt,
    [Id(4)] DateTimeOffset DeadAt,
    [Id(5)] int Attempts,
    [Id(6)] string Reason);
