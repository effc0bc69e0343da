using HvsGrains.Grains.Cluster;
using HvsGrains.Grains.Tests.Storage;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>
/// Three silos on PostgreSQL membership and grain storage (the cluster mode's UsePostgreSqlCluster), not the test
/// cluster's in-memory membership: grains with state on every silo, one silo killed without a graceful stop, its
/// grains back on the survivors with what they had written, and the membership table naming the dead silo dead.
/// </summary>
public sealed class PostgreSqlClusterTests : IAsyncLifetime
{
    private const string ConnectionKey = "HvsTest:ClusterConnectionString";
    private PostgresServer? _server;
    private TestCluster? _cluster;

    private PostgresServer Server => _server!;

    private TestCluster Cluster => _cluster!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartNewAsync();
        await Server.CreateDatabaseAsync("cluster");
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionKey] = Server.ConnectionString("cluster");
        builder.AddSiloBuilderConfigurator<OnPostgreSql>();
        builder.AddClientBuilderConfigurator<OnPostgreSql>();
        _cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Grains_of_a_killed_silo_reactivate_on_the_survivors_with_their_state_and_the_table_names_it_dead()
    {
        var silos = Cluster.GetActiveSilos().ToList();
        Assert.Equal(3, silos.Count);
        Assert.Equal("3", (await Server.QueryAsync("SELECT count(*) FROM hvs_membership WHERE status = 3", "cluster")).Trim());

        // Enough grains that placement puts some on every silo.
        var management = Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = new Dictionary<string, SiloAddress>();
        for (var i = 0; hosts.Values.Distinct().Count() < 3 && i < 300; i++)
        {
            var key = $"module-{i}";
            var grain = Cluster.GrainFactory.GetGrain<IStorageProbeGrain>(key);
            await grain.SetAsync($"state of {key}");
            hosts[key] = (await management.GetActivationAddress(grain))!;
        }

        Assert.Equal(3, hosts.Values.Distinct().Count());
        Assert.Equal(hosts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await Server.QueryAsync("SELECT count(*) FROM hvs_grain_state WHERE payload IS NOT NULL", "cluster")).Trim());

        // Not the silo the test client's first gateway is likely on: any of the three will do, so take the last.
        var victim = silos[^1];
        var orphans = hosts.Where(h => h.Value.Equals(victim.SiloAddress)).Select(h => h.Key).ToList();
        Assert.NotEmpty(orphans);
        await Cluster.KillSiloAsync(victim);

        foreach (var key in orphans)
        {
            var grain = Cluster.GrainFactory.GetGrain<IStorageProbeGrain>(key);
            Assert.Equal($"state of {key}", await DeadSiloCalls.UntilAnsweredAsync(grain.GetAsync));
            var host = await management.GetActivationAddress(grain);
            Assert.NotNull(host);
            Assert.NotEqual(victim.SiloAddress, host);
        }

        // The survivors vote the silo dead in PostgreSQL (Orleans' SiloStatus.Dead is 6).
        var row = $"address = '{victim.SiloAddress.Endpoint.Address}' AND port = {victim.SiloAddress.Endpoint.Port} AND generation = {victim.SiloAddress.Generation}";
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await Server.QueryAsync($"SELECT status FROM hvs_membership WHERE {row}", "cluster")).Trim() == "6"));
        Assert.Equal("2", (await Server.QueryAsync("SELECT count(*) FROM hvs_membership WHERE status = 3", "cluster")).Trim());
    }

    /// <summary>Silos and the test client on the PostgreSQL cluster, with membership timeouts short enough for a test.</summary>
    public sealed class OnPostgreSql : ISiloConfigurator, IClientBuilderConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.UsePostgreSqlCluster(siloBuilder.Configuration[ConnectionKey]!);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
            });
            siloBuilder.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }

        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = PostgreSqlClusterExtensions.PostgreSqlInvariant;
                o.ConnectionString = configuration[ConnectionKey]!;
            });
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5));
        }
    }
}
