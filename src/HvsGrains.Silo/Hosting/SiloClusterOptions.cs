namespace HvsGrains.Silo.Hosting;

/// <summary>The Orleans silo's identity and ports, bound from "Hvs:Orleans".</summary>
public sealed class SiloClusterOptions
{
    public const string SectionName = "Hvs:Orleans";

    public string ClusterId { get; set; } = "hvsgrains";

    public string ServiceId { get; set; } = "hvsgrains";

    /// <summary>Port for silo-to-silo traffic.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients such as the `hvs` tool.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Grain addresses a silo remembers (modules, racks and the warehouse it calls); keep it above the site's module count.</summary>
    public int DirectoryCacheSize { get; set; } = 100_000;
}
