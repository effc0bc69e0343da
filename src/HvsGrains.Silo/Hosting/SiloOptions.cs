namespace HvsGrains.Silo.Hosting;

/// <summary>Where the embedded silo keeps its files, bound from section "Hvs".</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Hvs";

    /// <summary>Folder of the SQLite database, readings log and generated API keys.</summary>
    public string DataDirectory { get; set; } = "data";
}
