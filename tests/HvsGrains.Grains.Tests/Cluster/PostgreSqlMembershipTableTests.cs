using System.Net;
using HvsGrains.Grains.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>
/// The membership queries of migration 0002 against Orleans' own ADO.NET clustering table on a real PostgreSQL:
/// the optimistic version check Orleans' membership protocol relies on, and every field read back as written.
/// </summary>
public sealed class PostgreSqlMembershipTableTests : IAsyncLifetime
{
    private static readonly DateTime Started = new(2026, 11, 30, 8, 0, 0, 123, DateTimeKind.Utc);
    private PostgresServer? _server;

    private PostgresServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartNewAsync();
        await Server.CreateDatabaseAsync("membership");
        await PostgreSqlSchema.EnsureCreatedAsync(Server.ConnectionString("membership"));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private AdoNetClusteringTable Table(string clusterId) => new(
        new ServiceCollection().BuildServiceProvider(),
        Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "hvsgrains" }),
        Options.Create(new AdoNetClusteringSiloOptions { Invariant = PostgreSqlClusterExtensions.PostgreSqlInvariant, ConnectionString = Server.ConnectionString("membership") }),
        NullLogger<AdoNetClusteringTable>.Instance);

    private static MembershipEntry Silo(int port, SiloStatus status) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 7),
        SiloName = $"silo-{port}",
        HostName = "host-a",
        Status = status,
        ProxyPort = port + 1000,
        StartTime = Started,
        IAmAliveTime = Started,
    };

    [Fact]
    public async Task A_silo_joins_only_with_the_current_version_and_reads_back_as_written()
    {
        var table = Table("join");
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var empty = await table.ReadAllAsync(CancellationToken.None);
        Assert.Empty(empty.Members);

        var first = Silo(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(first, empty.Version.Next(), CancellationToken.None));
        // A writer that still holds the old version loses, as does a second insert of the same silo.
        Assert.False(await table.InsertRowAsync(Silo(11112, SiloStatus.Joining), empty.Version.Next(), CancellationToken.None));
        var afterInsert = await table.ReadAllAsync(CancellationToken.None);
        Assert.False(await table.InsertRowAsync(first, afterInsert.Version.Next(), CancellationToken.None));

        var read = await table.ReadRowAsync(first.SiloAddress, CancellationToken.None);
        var (entry, _) = Assert.Single(read.Members);
        Assert.Equal(first.SiloAddress, entry.SiloAddress);
        Assert.Equal(("silo-11111", "host-a", SiloStatus.Joining, 12111), (entry.SiloName, entry.HostName, entry.Status, entry.ProxyPort));
        Assert.Equal(Started, entry.StartTime);
        Assert.Equal(DateTimeKind.Utc, entry.IAmAliveTime.Kind);
        Assert.Equal(afterInsert.Version.Version, read.Version.Version);
        Assert.Equal(1, read.Version.Version);
    }

    [Fact]
    public async Task Status_and_suspicions_change_only_with_the_current_version_and_heartbeats_do_not_bump_it()
    {
        var table = Table("update");
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        var silo = Silo(11121, SiloStatus.Active);
        var suspect = Silo(11122, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        Assert.True(await table.InsertRowAsync(suspect, (await table.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));
        var before = await table.ReadAllAsync(CancellationToken.None);

        suspect.Status = SiloStatus.Dead;
        suspect.SuspectTimes = [Tuple.Create(silo.SiloAddress, Started.AddMinutes(1))];
        // As Orleans' membership does: the row's etag as read, and the next table version; a second writer that read
        // the same version loses.
        var etag = before.Members.Single(m => m.Item1.SiloAddress.Equals(suspect.SiloAddress)).Item2;
        Assert.True(await table.UpdateRowAsync(suspect, etag, before.Version.Next(), CancellationToken.None));
        Assert.False(await table.UpdateRowAsync(suspect, etag, before.Version.Next(), CancellationToken.None));

        await table.UpdateIAmAliveAsync(new MembershipEntry { SiloAddress = silo.SiloAddress, IAmAliveTime = Started.AddMinutes(2) }, CancellationToken.None);

        var after = await table.ReadAllAsync(CancellationToken.None);
        Assert.Equal(before.Version.Version + 1, after.Version.Version);
        var dead = after.Members.Single(m => m.Item1.SiloAddress.Equals(suspect.SiloAddress)).Item1;
        Assert.Equal(SiloStatus.Dead, dead.Status);
        var (by, at) = Assert.Single(dead.SuspectTimes ?? []);
        Assert.Equal((silo.SiloAddress, Started.AddMinutes(1)), (by, at));
        Assert.Equal(Started.AddMinutes(2), after.Members.Single(m => m.Item1.SiloAddress.Equals(silo.SiloAddress)).Item1.IAmAliveTime);
    }

    [Fact]
    public async Task Only_the_first_silo_creates_the_version_row_and_clusters_stay_apart()
    {
        Assert.Equal("1", (await Server.QueryAsync("SELECT 1", "membership")).Trim());
        var left = Table("left");
        await left.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        await Table("left").InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        Assert.Equal("1", (await Server.QueryAsync("SELECT count(*) FROM hvs_membership_version WHERE cluster_id = 'left'", "membership")).Trim());

        var right = Table("right");
        await right.InitializeMembershipTableAsync(tryInitTableVersion: true, CancellationToken.None);
        Assert.True(await left.InsertRowAsync(Silo(11131, SiloStatus.Active), (await left.ReadAllAsync(CancellationToken.None)).Version.Next(), CancellationToken.None));

        Assert.Empty((await right.ReadAllAsync(CancellationToken.None)).Members);
        await left.DeleteMembershipTableEntriesAsync("left", CancellationToken.None);
        Assert.Equal("0", (await Server.QueryAsync("SELECT count(*) FROM hvs_membership", "membership")).Trim());
    }
}
