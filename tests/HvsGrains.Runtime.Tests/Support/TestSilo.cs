using HvsGrains.Runtime.Activation;
using HvsGrains.Runtime.Tests.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HvsGrains.Runtime.Tests.Support;

/// <summary>One silo with the test grains, a manual clock and a SQLite file; restartable on the same file.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        _hosted = services.GetServices<IHostedService>().ToList();
    }

    public GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();

    public IGrainFactory Grains => Runtime;

    public ActivationLog Log => _services.GetRequiredService<ActivationLog>();

    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();

    public IServiceProvider Services => _services;

    public static async Task<TestSilo> StartAsync(
        string databasePath,
        ManualTimeProvider? clock = null,
        Action<GrainRuntimeOptions>? configure = null,
        ActivationLog? log = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock ?? new ManualTimeProvider());
        services.AddSingleton(log ?? new ActivationLog());
        services.Configure<GrainRuntimeOptions>(o =>
        {
            o.RoundTripCallsThroughCodec = true;
            configure?.Invoke(o);
        });
        services.AddGrainRuntime(b => b
            .AddGrain<ICounterGrain, CounterGrain>()
            .AddGrain<ITallyGrain, TallyGrain>()
            .AddGrain<ITickerGrain, TickerGrain>()
            .UseSqliteStorage(o => o.DatabasePath = databasePath));
        var silo = new TestSilo(services.BuildServiceProvider());
        foreach (var hosted in silo._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return silo;
    }

    /// <summary>Graceful stop: every grain deactivates.</summary>
    public async Task StopAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
