namespace HvsGrains.Grains.Warehouse;

/// <summary>The site this silo watches, bound from "Hvs:Warehouse".</summary>
public sealed class WarehouseOptions
{
    public const string SectionName = "Hvs:Warehouse";

    /// <summary>The warehouse grain's key.</summary>
    public string SiteId { get; set; } = "site";

    /// <summary>Cleared alarms kept for the record; older ones are dropped first.</summary>
    public int ClearedAlarmsKept { get; set; } = 1000;

    /// <summary>Operators' verdicts kept as training labels (they outlive their alarms); the oldest go first.</summary>
    public int VerdictsKept { get; set; } = 100_000;
}
