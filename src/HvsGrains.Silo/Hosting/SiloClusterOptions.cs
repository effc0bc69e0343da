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

    /// <summary>
    /// Cluster mode: the IP address other silos and clients reach this silo at (in Kubernetes the pod IP). Empty: the
    /// first IPv4 address of the host name. The silo listens on every address either way.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>Cluster mode: the silo's name in the membership table (in Kubernetes the pod name). Empty: Orleans' default.</summary>
    public string? SiloName { get; set; }

    /// <summary>Grain addresses a silo remembers (modules, racks and the warehouse it calls); keep it above the site's module count.</summary>
    public int DirectoryCacheSize { get; set; } = 100_000;
}
