using HvsGrains.Grains.ReadingLog;

namespace HvsGrains.Silo.Hosting;

/// <summary>Which readings log the silo keeps: the cluster's PostgreSQL when one is configured, else SQLite in the data folder.</summary>
public static class ReadingLogHostingExtensions
{
    /// <summary>The cluster database's connection string; set, the silo is one of a cluster sharing that database.</summary>
    public const string ClusterConnectionStringKey = "Hvs:Cluster:ConnectionString";

    public static ISiloBuilder AddConfiguredReadingLog(this ISiloBuilder silo, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[ClusterConnectionStringKey] is { Length: > 0 } connectionString
            ? silo.AddPostgreSqlReadingLog(configuration, connectionString)
            : silo.AddSqliteReadingLog(configuration, Path.Combine(dataDirectory, "readings.db"));
    }
}
