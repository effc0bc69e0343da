using HvsGrains.Grains.ReadingLog;
using HvsGrains.Runtime;
using HvsGrains.Runtime.Activation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.Support;

/// <summary>A silo with the warehouse grains on a data folder, without the web front door.</summary>
public sealed class DomainSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;
    private bool _stopped;

    private DomainSilo(ServiceProvider services)
    {
        _services = services;
        _hosted = services.GetServices<IHostedService>().ToList();
    }

    public GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();

    public IGrainFactory Grains => Runtime;

    public IReadingLog Log => _services.GetRequiredService<IReadingLog>();

    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();

    public static async Task<DomainSilo> StartAsync(string folder, TimeProvider? clock = null, Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock ?? TimeProvider.System);
        services.Configure<GrainRuntimeOptions>(o => o.RoundTripCallsThroughCodec = true);
        services.AddGrainRuntime(grains => grains
            .UseSqliteStorage(o => o.DatabasePath = Path.Combine(folder, "grains.db"))
            .AddWarehouseGrains(configuration, Path.Combine(folder, "readings.db")));
        var silo = new DomainSilo(services.BuildServiceProvider());
        silo._services.GetService<IStartupValidator>()?.Validate(); // as a host does before it starts
        foreach (var hosted in silo._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return silo;
    }

    /// <summary>Stops the silo gracefully: every grain deactivates and writes its state.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        await _services.DisposeAsync();
    }
}
