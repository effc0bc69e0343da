using System.CommandLine;

namespace HvsGrains.Cli;

/// <summary>Options every command understands (added once to the root, recursive).</summary>
public static class GlobalOptions
{
    public static Option<string[]> Gateway { get; } = new("--gateway")
    {
        Description = $"A gateway of the cluster as host:port (repeatable); default ${Connection.ClusterTarget.GatewaysVariable}, else {Connection.ClusterTarget.DefaultGateway}",
        Recursive = true,
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "The cluster's Orleans ClusterId (Hvs:Orleans:ClusterId)",
        Recursive = true,
        DefaultValueFactory = _ => "hvsgrains",
    };

    public static Option<string> ServiceId { get; } = new("--service-id")
    {
        Description = "The cluster's Orleans ServiceId (Hvs:Orleans:ServiceId)",
        Recursive = true,
        DefaultValueFactory = _ => "hvsgrains",
    };

    public static Option<string> Database { get; } = new("--database")
    {
        Description = $"Npgsql connection string of the cluster's database (Hvs:Cluster:ConnectionString); default ${Connection.ClusterTarget.DatabaseVariable}. "
            + "The tool finds the live gateways in its membership table when no --gateway is given; `setup` creates its schema",
        Recursive = true,
    };

    public static Option<string> Site { get; } = new("--site")
    {
        Description = "The site's id: the warehouse grain's key (Hvs:Warehouse:SiteId)",
        Recursive = true,
        DefaultValueFactory = _ => "site",
    };

    public static Option<int> ConnectTimeout { get; } = new("--connect-timeout")
    {
        Description = "Seconds to wait for a gateway (or the database) before giving up",
        Recursive = true,
        DefaultValueFactory = _ => 10,
    };

    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Write JSON for scripts instead of tables",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Gateway, Database, ClusterId, ServiceId, Site, ConnectTimeout, Json];
}
