using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>What the warehouse grain persists: each rack's last report and the alarms.</summary>
public sealed class WarehouseState
{
    public Dictionary<string, RackReport> Racks { get; set; } = new(StringComparer.Ordinal);

    public List<Alarm> Alarms { get; set; } = [];

    public long LastAlarmNumber { get; set; }
}
