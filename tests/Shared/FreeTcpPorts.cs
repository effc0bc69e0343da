using System.Globalization;
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
        var ports = Next(2);
        return new()
        {
            ["Hvs:Orleans:SiloPort"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["Hvs:Orleans:GatewayPort"] = ports[1].ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary><paramref name="count"/> different free ports: all are held open together, so none is handed out twice.</summary>
    public static int[] Next(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
