using System.Net;
using HvsGrains.Grains;
using HvsGrains.Grains.Cluster;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Storage;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// The co-hosted Orleans silo. Embedded default: localhost clustering, grain state in SQLite. Cluster mode
/// (Hvs:Cluster:ConnectionString set): membership and grain state in PostgreSQL, the silo reachable at its advertised address.
/// </summary>
public static class OrleansHostingExtensions
{
    public static WebApplicationBuilder AddWarehouseSilo(this WebApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(SiloClusterOptions.SectionName).Get<SiloClusterOptions>() ?? new SiloClusterOptions();
        var mode = configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>() ?? new ClusterModeOptions();
        // Taken before Orleans opens anything in the folder, held until the host is disposed.
        var folderLock = DataDirectoryLock.Acquire(dataDirectory);
        builder.Services.AddHostedService(_ => folderLock);
        if (mode.IsClusterMode)
        {
            builder.Services.AddClusterMembershipWatch(configuration);
        }

        builder.UseOrleans(silo =>
        {
            silo.AddWarehouseGrains(configuration);
            if (mode.IsClusterMode)
            {
                silo.UseClusterMode(cluster, mode.ConnectionString!)
                    .AddPostgreSqlReadingLog(configuration, mode.ConnectionString!);
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId)
                    .AddSqliteGrainStorage(Path.Combine(dataDirectory, "grain-state.db"))
                    .AddSqliteReadingLog(configuration, Path.Combine(dataDirectory, "readings.db"));
            }

            silo.Configure<GrainCollectionOptions>(configuration.GetSection(SiloClusterOptions.SectionName + ":GrainCollection"))
                .Configure<GrainDirectoryOptions>(directory =>
                {
                    // Orleans' default of 1,000,000 entries preallocates 9 MB, and its meter counts the cache by walking
                    // every slot each second (3 % of the silo's CPU under ingest); a site's grains fit well within this.
                    directory.CacheSize = cluster.DirectoryCacheSize;
                })
                .AddDashboard();
        });
        return builder;
    }

    private static ISiloBuilder UseClusterMode(this ISiloBuilder silo, SiloClusterOptions cluster, string connectionString)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (string.IsNullOrWhiteSpace(cluster.AdvertisedAddress))
        {
            silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }
        else
        {
            if (!IPAddress.TryParse(cluster.AdvertisedAddress, out var advertised))
            {
                throw new InvalidOperationException(
                    $"{SiloClusterOptions.SectionName}:{nameof(SiloClusterOptions.AdvertisedAddress)} '{cluster.AdvertisedAddress}' is not an IP address.");
            }

            silo.ConfigureEndpoints(advertised, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
        }

        if (!string.IsNullOrWhiteSpace(cluster.SiloName))
        {
            silo.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = cluster.SiloName);
        }

        // Placement stays Orleans' default (ResourceOptimizedPlacement) for modules, racks and the warehouse: reports
        // up are one-way and only on change, so co-locating a rack with its modules would save little; see the
        // Grains README, "Placement in a cluster".
        return silo.UsePostgreSqlCluster(connectionString);
    }
}
