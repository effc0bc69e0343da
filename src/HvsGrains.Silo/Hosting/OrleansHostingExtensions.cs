using HvsGrains.Grains;
using HvsGrains.Grains.Storage;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace HvsGrains.Silo.Hosting;

/// <summary>The co-hosted Orleans silo of the embedded default: localhost clustering, grain state in SQLite.</summary>
public static class OrleansHostingExtensions
{
    public static WebApplicationBuilder AddWarehouseSilo(this WebApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(SiloClusterOptions.SectionName).Get<SiloClusterOptions>() ?? new SiloClusterOptions();
        // Taken before Orleans opens anything in the folder, held until the host is disposed.
        var folderLock = DataDirectoryLock.Acquire(dataDirectory);
        builder.Services.AddHostedService(_ => folderLock);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId)
            .AddSqliteGrainStorage(Path.Combine(dataDirectory, "grain-state.db"))
            .AddWarehouseGrains(configuration)
            .AddConfiguredReadingLog(configuration, dataDirectory)
            .Configure<GrainCollectionOptions>(configuration.GetSection(SiloClusterOptions.SectionName + ":GrainCollection"))
            .Configure<GrainDirectoryOptions>(directory =>
            {
                // Orleans' default of 1,000,000 entries preallocates 9 MB, and its meter counts the cache by walking
                // every slot each second (3 % of the silo's CPU under ingest); a site's grains fit well within this.
                directory.CacheSize = cluster.DirectoryCacheSize;
            })
            .AddDashboard());
        return builder;
    }
}
