namespace HvsGrains.Grains.Notifications;

/// <summary>What an endpoint's deliverer persists: how far it got in the outbox and how the head event is faring.</summary>
[GenerateSerializer, Alias("hvs.webhook-delivery-state")]
public sealed record WebhookDeliveryState
{
    /// <summary>The last outbox number delivered, dead-lettered or not wanted by the endpoint.</summary>
    [Id(0)]
    public long Passed { get; set; }

    /// <summary>Failed attempts at the event after <see cref="Passed"/>.</summary>
    [Id(1)]
    public int FailedAttempts { get; set; }

    [Id(2)]
    public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(3)]
    public long Delivered { get; set; }

    [Id(4)]
    public DateTimeOffset? LastSuccessAt { get; set; }

    [Id(5)]
    public DateTimeOffset? LastFailureAt { get; set; }

    [Id(6)]
    public string? LastFailure { get; set; }

    [Id(7)]
    public long DeadLettered { get; set; }

    [Id(8)]
    public List<DeadLetter> DeadLetters { get; set; } = [];
}
