namespace HvsGrains.Grains.Modules;

/// <summary>Settings of the module grains, bound from "Hvs:Modules".</summary>
public sealed class ModuleOptions
{
    public const string SectionName = "Hvs:Modules";

    /// <summary>
    /// How often an active module writes its snapshot (a level change writes at once). Anything newer is
    /// replayed from the readings log after a crash, so this trades replay length (about 120 readings at
    /// one per second) against the cost of writing ~16 KB per module.
    /// </summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A module tells its rack of material changes at once and otherwise sends a compact summary this often
    /// (sensor time), so the rack compares each module with its peers on figures at most this old. One
    /// message a minute instead of one per reading keeps ingest throughput the module grains'.
    /// </summary>
    public TimeSpan RackSummaryInterval { get; set; } = TimeSpan.FromMinutes(1);
}
