using System.Globalization;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>What the warehouse grain persists: each rack's last report and the alarms.</summary>
[GenerateSerializer, Alias("hvs.warehouse-state")]
public sealed record WarehouseState
{
    [Id(0)]
    public Dictionary<string, RackReport> Racks { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public List<Alarm> Alarms { get; set; } = [];

    [Id(2)]
    public long LastAlarmNumber { get; set; }

    /// <summary>Operators' verdicts, oldest first; kept after their alarms are trimmed (training labels).</summary>
    [Id(20)]
    public List<AlarmVerdictRecord> Verdicts { get; set; } = [];

    /// <summary>The id of the next alarm raised: ALM- and a six-digit number, so ids sort in raising order.</summary>
    public string NextAlarmId() => string.Create(CultureInfo.InvariantCulture, $"ALM-{++LastAlarmNumber:D6}");
}
