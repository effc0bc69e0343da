namespace HvsGrains.Grains.Notifications;

/// <summary>
/// The outbox, persisted inside the warehouse's state so an alarm change and its notification are one write.
/// Entries stay until every configured endpoint's deliverer has passed them (delivered or dead-lettered).
/// </summary>
[GenerateSerializer, Alias("hvs.outbox-state")]
public sealed record OutboxState
{
    [Id(0)]
    public List<OutboxEntry> Entries { get; set; } = [];

    [Id(1)]
    public long LastNumber { get; set; }

    /// <summary>The number each endpoint has passed, as its deliverer last told; behind its own record at worst.</summary>
    [Id(2)]
    public Dictionary<string, long> Passed { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
