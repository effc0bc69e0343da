using System.Globalization;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.ReadingLog;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>
/// The warehouse grains on three silos sharing PostgreSQL (membership, grain state and the readings log), ingest
/// running as a cluster's front door does it (log, then the modules apply, then the acknowledgement), and one silo
/// killed: its modules come back on the survivors from their state and the log, every acknowledged reading is in
/// the log and in the module's history and applied once, levels and open alarms are what they were, and a module
/// that starts heating after the kill still reaches its alarm.
/// </summary>
public sealed class PostgreSqlClusterKillTests : IAsyncLifetime
{
    private const string ConnectionKey = "HvsTest:ClusterConnectionString";
    private const int Racks = 5;
    private const int ModulesPerRack = 4;
    private const int Attempts = 60; // calls a second apart while the killed silo is not yet declared dead
    private readonly Dictionary<string, List<SensorReading>> _acknowledged = [];
    private PostgresServer? _server;
    private TestCluster? _cluster;
    private PostgreSqlReadingLog? _frontDoorLog;

    private TestCluster Cluster => _cluster!;

    private IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartNewAsync();
        await _server.CreateDatabaseAsync("cluster");
        var builder = new TestClusterBuilder(3);
        builder.Options.UseTestClusterMembership = false;
        builder.Properties[ConnectionKey] = _server.ConnectionString("cluster");
        builder.AddSiloBuilderConfigurator<WarehouseOnPostgreSql>();
        builder.AddClientBuilderConfigurator<PostgreSqlClusterTests.OnPostgreSql>();
        _cluster = builder.Build();
        await Cluster.DeployAsync();
        _frontDoorLog = PostgresDatabases.Open(_server, "cluster"); // the test's own front door, as another silo's would be
        await _frontDoorLog.Recovered;
    }

    public async Task DisposeAsync()
    {
        if (_frontDoorLog is not null)
        {
            await _frontDoorLog.DisposeAsync();
        }

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
    public async Task A_killed_silos_modules_come_back_with_every_acknowledged_reading_their_levels_and_alarms_and_still_alarm()
    {
        var modules = Enumerable.Range(0, Racks).SelectMany(r => Enumerable.Range(0, ModulesPerRack).Select(m => (Rack: $"KillRack{r}", Module: $"KillRack{r}_M{m}"))).ToList();
        var second = 0;
        for (; second < 60; second += 10)
        {
            await DeliverAsync(modules.Select(m => Calm(m.Module, m.Rack, second)).ToList());
        }

        // A silo other than the first (the test client's gateway) that hosts modules; one of its modules heats now.
        var management = Grains.GetGrain<IManagementGrain>(0);
        var silos = Cluster.GetActiveSilos().ToList();
        var hosts = new Dictionary<string, SiloAddress>();
        foreach (var (_, module) in modules)
        {
            hosts[module] = (await management.GetActivationAddress(Grains.GetGrain<IModuleGrain>(module)))!;
        }

        var victim = silos.Skip(1).OrderByDescending(s => hosts.Count(h => h.Value.Equals(s.SiloAddress))).First();
        var orphans = modules.Where(m => hosts[m.Module].Equals(victim.SiloAddress)).ToList();
        Assert.NotEmpty(orphans);
        var heatedBefore = orphans[0];
        var heatedAfter = orphans.Skip(1).FirstOrDefault(m => m.Rack != heatedBefore.Rack) is { Module: not null } other ? other : modules.First(m => m.Rack != heatedBefore.Rack);
        for (var i = 0; i < 12; i++, second += 10)
        {
            await DeliverAsync([.. modules.Select(m => m == heatedBefore ? Heating(m.Module, m.Rack, second, i) : Calm(m.Module, m.Rack, second))]);
        }

        var warehouse = Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetAlarms(AlarmState.Open, null)).Any(a => a.RackId == heatedBefore.Rack)));
        var alarmBefore = (await warehouse.GetAlarms(AlarmState.Open, null)).Single(a => a.RackId == heatedBefore.Rack);
        var levelsBefore = await LevelsAsync(modules);
        Assert.Equal(HazardLevel.Critical, levelsBefore[heatedBefore.Module]);

        await Cluster.KillSiloAsync(victim);

        // Straight after the kill: every module answers from the survivors with what it had.
        Assert.Equal(levelsBefore, await LevelsAsync(modules));
        var alarmAfter = (await DeadSiloCalls.UntilAnsweredAsync(() => warehouse.GetAlarms(AlarmState.Open, null), Attempts)).Single(a => a.RackId == heatedBefore.Rack);
        Assert.Equal((alarmBefore.Id, alarmBefore.Level, alarmBefore.ModuleId), (alarmAfter.Id, alarmAfter.Level, alarmAfter.ModuleId));
        foreach (var (_, module) in orphans)
        {
            Assert.NotEqual(victim.SiloAddress, await management.GetActivationAddress(Grains.GetGrain<IModuleGrain>(module)));
        }

        // Ingest goes on; a module of the dead silo that starts heating now still reaches its alarm.
        for (var i = 0; i < 12; i++, second += 10)
        {
            await DeliverAsync([.. modules.Select(m => m == heatedAfter ? Heating(m.Module, m.Rack, second, i) : Calm(m.Module, m.Rack, second))]);
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetAlarms(AlarmState.Open, null)).Any(a => a.RackId == heatedAfter.Rack && a.Level >= HazardLevel.Warning)),
            "the module heating after the kill raised no alarm");
        Assert.Single(await warehouse.GetAlarms(AlarmState.Open, null), a => a.RackId == heatedBefore.Rack);

        foreach (var (_, module) in modules)
        {
            var acknowledged = _acknowledged[module];
            var logged = await _frontDoorLog!.ReadModuleAsync(module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10_000, CancellationToken.None);
            Assert.Equal(acknowledged.Select(r => r.Timestamp), logged.Select(l => l.Reading.Timestamp));
            var status = (await Grains.GetGrain<IModuleGrain>(module).GetStatus())!;
            Assert.Equal(acknowledged[^1].Timestamp, status.LatestReading.Timestamp);
            Assert.True(acknowledged.Count == status.DataQuality.AppliedReadings, $"{module}: {status.DataQuality}");
        }

        Assert.Equal((Racks * ModulesPerRack * (second / 10)).ToString(CultureInfo.InvariantCulture),
            (await _server!.QueryAsync("SELECT count(*) FROM hvs_readings", "cluster")).Trim());
    }

    /// <summary>
    /// What a cluster's front door does with a batch: log it, have its modules apply it, then count it acknowledged. A
    /// failure (a module on the dead silo, before the cluster declares it dead) sends the same batch again, as a gateway would.
    /// </summary>
    private async Task DeliverAsync(List<SensorReading> batch)
    {
        await DeadSiloCalls.UntilAnsweredAsync(async () =>
        {
            var sequences = await _frontDoorLog!.AppendAsync(batch, CancellationToken.None);
            await Task.WhenAll(batch.Select((r, i) => new LoggedReading(sequences[i], r, DateTimeOffset.UtcNow)).GroupBy(l => l.Reading.ModuleId)
                .Select(g => Grains.GetGrain<IModuleGrain>(g.Key).Apply(new ModuleReadings([.. g]))));
            return true;
        }, Attempts);
        foreach (var reading in batch)
        {
            (_acknowledged.TryGetValue(reading.ModuleId, out var list) ? list : _acknowledged[reading.ModuleId] = []).Add(reading);
        }
    }

    private async Task<Dictionary<string, HazardLevel>> LevelsAsync(IEnumerable<(string Rack, string Module)> modules)
    {
        var levels = new Dictionary<string, HazardLevel>();
        foreach (var (_, module) in modules)
        {
            levels[module] = (await DeadSiloCalls.UntilAnsweredAsync(() => Grains.GetGrain<IModuleGrain>(module).GetStatus(), Attempts))!.Level;
        }

        return levels;
    }

    private static SensorReading Calm(string module, string rack, int second) => TestReadings.At(second, tempC: 25 + (second % 20 * 0.01), module: module, rack: rack);

    private static SensorReading Heating(string module, string rack, int second, int step) => TestReadings.At(second, tempC: 30 + (step * 4), module: module, rack: rack);

    /// <summary>The cluster mode's silo: PostgreSQL membership and grain state, the warehouse grains, the shared readings log.</summary>
    public sealed class WarehouseOnPostgreSql : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var connection = siloBuilder.Configuration[ConnectionKey]!;
            new PostgreSqlClusterTests.OnPostgreSql().Configure(siloBuilder);
            siloBuilder.AddWarehouseGrains(siloBuilder.Configuration).AddPostgreSqlReadingLog(siloBuilder.Configuration, connection);
            siloBuilder.Configure<ClusterMembershipOptions>(o => o.DefunctSiloCleanupPeriod = null);
        }
    }
}
