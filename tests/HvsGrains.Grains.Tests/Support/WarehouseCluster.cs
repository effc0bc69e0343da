using HvsGrains.Grains.Modules;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HvsGrains.Grains.Tests.Support;

/// <summary>
/// An in-process Orleans cluster of the warehouse grains on a temporary data folder, shared by the
/// tests of one xunit collection (each test uses its own grain keys). All silos share one readings
/// log instance: the log keeps readings not yet indexed in memory, so a second instance on the same
/// file would not see them; one instance is what one process (the embedded default) has.
/// </summary>
public class WarehouseCluster : IAsyncLifetime
{
    private readonly short _silos;
    private readonly Dictionary<string, string?> _settings;
    private SqliteReadingLog? _log;
    private InProcessTestCluster? _cluster;

    private readonly Lock _bundledModelWriting = new();
    private string? _bundledModelPath;

    public WarehouseCluster()
        : this(silos: 1)
    {
    }

    protected WarehouseCluster(short silos, Dictionary<string, string?>? settings = null, FakeTimeProvider? clock = null)
    {
        _silos = silos;
        _settings = settings ?? [];
        Clock = clock;
    }

    public DataFolder Data { get; } = new();

    /// <summary>The grains' clock when the cluster runs on fake time; Orleans' own loops stay on real time.</summary>
    public FakeTimeProvider? Clock { get; }

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    /// <summary>
    /// Grain calls from the first running silo, not the test client: a silo's own factory needs no
    /// gateway, so it works at once after silos restart.
    /// </summary>
    public IGrainFactory Grains => Cluster.GetActiveSilos().First().SiloHost.Services.GetRequiredService<IGrainFactory>();

    public IReadingLog Log => _log ?? throw new InvalidOperationException("The cluster has not started.");

    public string GrainStatePath => Path.Combine(Data.Path, "grains.db");

    /// <summary>
    /// The path of a bundled model every silo of the cluster shares, written by the first silo configured: silos may be
    /// configured at once, and the second must not find the file half written.
    /// </summary>
    protected string BundledModel(Func<byte[]> model)
    {
        lock (_bundledModelWriting)
        {
            if (_bundledModelPath is null)
            {
                var path = Path.Combine(Data.Path, "bundled.onnx");
                File.WriteAllBytes(path, model());
                _bundledModelPath = path;
            }

            return _bundledModelPath;
        }
    }

    public async Task InitializeAsync()
    {
        _log = new SqliteReadingLog(Options.Create(new ReadingLogOptions { DatabasePath = Path.Combine(Data.Path, "readings.db") }), NullLogger<SqliteReadingLog>.Instance);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var builder = new InProcessTestClusterBuilder(_silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddWarehouseGrains(configuration).AddSqliteReadingLog(configuration, Path.Combine(Data.Path, "readings.db"));
            silo.Services.AddSingleton<IReadingLog>(_log); // one shared instance; see the class comment
            silo.AddSqliteGrainStorage(GrainStatePath);
            if (Clock is not null)
            {
                // Grain timers (Orleans.Grains area) and the grains' own clock follow the fake clock.
                silo.Services.AddSingleton<TimeProvider>(Clock);
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            }

            ConfigureSilo(silo);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>A cluster of this test's own, for settings no shared cluster has.</summary>
    public static WarehouseCluster Create(short silos, Dictionary<string, string?> settings) => new(silos, settings);

    /// <summary>
    /// Stops every silo (gracefully, or killed as in a crash: no deactivation runs) and starts as
    /// many new ones on the same data folder and readings log.
    /// </summary>
    public async Task RestartSilosAsync(bool kill)
    {
        var silos = Cluster.GetActiveSilos().ToList();
        foreach (var silo in silos)
        {
            await (kill ? Cluster.KillSiloAsync(silo) : Cluster.StopSiloAsync(silo));
        }

        await Cluster.StartSilosAsync(silos.Count);
    }

    /// <summary>Extra silo settings of a derived fixture.</summary>
    protected virtual void ConfigureSilo(ISiloBuilder silo)
    {
    }

    /// <summary>Logs the readings, then hands each to its module as the front door does, in order.</summary>
    public async Task<long[]> IngestAsync(IReadOnlyList<SensorReading> readings)
    {
        var sequences = await Log.AppendAsync(readings, CancellationToken.None);
        for (var i = 0; i < readings.Count; i++)
        {
            await Grains.GetGrain<IModuleGrain>(readings[i].ModuleId).Ingest(new LoggedReading(sequences[i], readings[i]));
        }

        return sequences;
    }

    /// <summary>The default grain storage of a running silo: what a grain wrote, read as another writer would.</summary>
    public IGrainStorage Storage(SiloAddress? silo = null) =>
        Cluster.GetSiloServiceProvider(silo).GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    public async Task<GrainState<T>> ReadStoredAsync<T>(string stateName, GrainId grain)
        where T : new()
    {
        var state = new GrainState<T>(new T());
        await Storage().ReadStateAsync(stateName, grain, state);
        return state;
    }

    /// <summary>The highest log sequence the module has written to storage, or null before its first write.</summary>
    public async Task<long?> StoredSequenceAsync(string moduleId)
    {
        var stored = await ReadStoredAsync<ModuleState>("module", Grains.GetGrain<IModuleGrain>(moduleId).GetGrainId());
        return stored.RecordExists ? stored.State!.LastSequence : null;
    }

    /// <summary>The silo that holds the grain's activation, or null when it has none.</summary>
    public SiloAddress? HostOf(IAddressable grain)
    {
        return Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_log is not null)
        {
            await _log.DisposeAsync();
        }

        Data.Dispose();
    }
}

/// <summary>One silo on a fake clock: module snapshots every minute of fake time.</summary>
public sealed class FakeClockCluster() : WarehouseCluster(
    1, new() { ["Hvs:Modules:SnapshotInterval"] = "00:01:00" }, new FakeTimeProvider(TestReadings.Start));

/// <summary>
/// One silo that collects idle module grains after two seconds. Orleans 10.4.2 measures idleness with a
/// real-time stopwatch (ActivationData) and runs the collector on a real-time PeriodicTimer, so the
/// fake clock here only keeps grain timers from firing (and writing) while the test waits.
/// </summary>
public sealed class IdleCollectionCluster() : WarehouseCluster(1, null, new FakeTimeProvider(TestReadings.Start))
{
    protected override void ConfigureSilo(ISiloBuilder silo) => silo.Configure<GrainCollectionOptions>(o =>
    {
        // Modules only: collecting the memory storage's own grains too made silo shutdown wait 30 s.
        o.CollectionQuantum = TimeSpan.FromMilliseconds(500);
        o.ClassSpecificCollectionAge[typeof(ModuleGrain).FullName!] = TimeSpan.FromSeconds(2);
    });
}

/// <summary>One silo on a fake clock with webhook settings of the test's own (a receiver's URL, retry bounds).</summary>
public sealed class WebhookCluster(Dictionary<string, string?> settings) : WarehouseCluster(1, settings, new FakeTimeProvider(TestReadings.Start));

/// <summary>Three silos, so a silo can be killed and the grains still have two places to go.</summary>
public sealed class MultiSiloCluster() : WarehouseCluster(3);

[CollectionDefinition(Name)]
public sealed class SingleSiloCollection : ICollectionFixture<WarehouseCluster>
{
    public const string Name = "single silo";
}

[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockCluster>
{
    public const string Name = "fake clock";
}

[CollectionDefinition(Name)]
public sealed class IdleCollectionCollection : ICollectionFixture<IdleCollectionCluster>
{
    public const string Name = "idle collection";
}

[CollectionDefinition(Name)]
public sealed class MultiSiloCollection : ICollectionFixture<MultiSiloCluster>
{
    public const string Name = "multi silo";
}
