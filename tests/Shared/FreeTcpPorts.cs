using System.Net;
using System.Net.Sockets;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// Loopback ports nobody listens on, for silos started side by side in one test run (Orleans needs
/// fixed silo and gateway ports it can publish, so port 0 will not do).
/// </summary>
public static class FreeTcpPorts
{
    /// <summary>Settings that give an embedded silo its own Orleans ports.</summary>
    public static Dictionary<string, string?> SiloSettings()
    {
        var (silo, gateway) = (Next(), Next());
        return new()
        {
            ["Hvs:Orleans:SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Hvs:Orleans:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
