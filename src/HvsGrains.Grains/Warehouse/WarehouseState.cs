using System.Globalization;
using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>What the warehouse grain persists: each rack's last report, the alarms and the notifications of their changes.</summary>
[GenerateSerializer, Alias("hvs.warehouse-state")]
public sealed record WarehouseState
{
    [Id(0)]
    public Dictionary<string, RackReport> Racks { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<Alarm> Alarms { get; set; } = [];

    [Id(2)]
    public long LastAlarmNumber { get; set; }

    /// <summary>Webhook events not yet passed by every endpoint; in this state so they are written with the alarm change. Id 20 leaves the low ids to the alarms.</summary>
    [Id(20)]
    public OutboxState Outbox { get; set; } = new();

    /// <summary>Operators' verdicts, oldest first; kept after their alarms are trimmed (training labels).</summary>
    [Id(21)]
    public List<AlarmVerdictRecord> Verdicts { get; set; } = [];

    /// <summary>The id of the next alarm raised: ALM- and a six-digit number, so ids sort in raising order.</summary>
    public string NextAlarmId() => string.Create(CultureInfo.InvariantCulture, $"ALM-{++LastAlarmNumber:D6}");
}
