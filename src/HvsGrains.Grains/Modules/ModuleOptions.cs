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
}
