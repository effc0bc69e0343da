using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HvsGrains.Cli.Connection;

/// <summary>
/// Which cluster to reach: its ids and its gateways, from --gateway (repeatable), else $HVS_GATEWAYS (comma-separated),
/// else the live gateways in the cluster's database (--database or $HVS_DATABASE), else the embedded silo's gateway.
/// </summary>
public sealed record ClusterTarget(string ClusterId, string ServiceId, IReadOnlyList<IPEndPoint> Gateways, string? Database = null)
{
    public const string GatewaysVariable = "HVS_GATEWAYS";
    public const string DatabaseVariable = "HVS_DATABASE";
    public const string DefaultGateway = "127.0.0.1:30000"; // Hvs:Orleans:GatewayPort of the embedded silo

    public string Describe() => Database is null
        ? $"{string.Join(", ", Gateways)} (cluster '{ClusterId}', service '{ServiceId}')"
        : $"the gateways listed in the cluster's database (cluster '{ClusterId}', service '{ServiceId}')";

    /// <summary>The --database option, else $HVS_DATABASE; null when neither names one.</summary>
    public static string? DatabaseOf(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(GlobalOptions.Database) is { Length: > 0 } option
            ? option
            : Environment.GetEnvironmentVariable(DatabaseVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    public static ClusterTarget Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var (clusterId, serviceId) = (parse.GetValue(GlobalOptions.ClusterId)!, parse.GetValue(GlobalOptions.ServiceId)!);
        var given = parse.GetValue(GlobalOptions.Gateway) is { Length: > 0 } options
            ? options
            : Environment.GetEnvironmentVariable(GatewaysVariable)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (given is not { Length: > 0 } && DatabaseOf(parse) is { } database)
        {
            var timeout = TimeSpan.FromSeconds(parse.GetValue(GlobalOptions.ConnectTimeout));
            return new ClusterTarget(clusterId, serviceId, [], PostgreSqlConnectionString.WithTimeout(database, timeout));
        }

        return new ClusterTarget(clusterId, serviceId, [.. (given is { Length: > 0 } ? given : [DefaultGateway]).Select(ParseGateway)]);
    }

    /// <summary>host:port, [ipv6]:port or ip:port; a host name is resolved now so a typo fails with its own message.</summary>
    public static IPEndPoint ParseGateway(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandFailedException(ExitCodes.InvalidInput, $"Gateway '{text}' is not host:port (for example {DefaultGateway}).");
        }

        var host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return new IPEndPoint(addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses[0], port);
        }
        catch (Exception exception) when (exception is SocketException or ArgumentException or IndexOutOfRangeException)
        {
            throw new CommandFailedException(ExitCodes.Unreachable, $"Gateway host '{host}' cannot be resolved: {exception.Message}", exception);
        }
    }
}
