using HvsGrains.Runtime;
using HvsGrains.Runtime.Activation;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HvsGrains.Benchmarks.Grains;

/// <summary>
/// One in-process silo as a host would run it: ServiceCollection + AddLogging + AddGrainRuntime with
/// SQLite storage in a temp folder, hosted services started. Default options (no codec round trip).
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;
    private readonly string _folder;

    private BenchSilo(ServiceProvider services, string folder)
    {
        _services = services;
        _folder = folder;
        _hosted = [.. services.GetServices<IHostedService>()];
    }

    public GrainRuntime Runtime => _services.GetRequiredService<GrainRuntime>();

    public IGrainFactory Grains => Runtime;

    public CallCounter Counter => _services.GetRequiredService<CallCounter>();

    public static async Task<BenchSilo> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hvs-benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<CallCounter>();
        services.AddGrainRuntime(b => b
            .AddGrain<IBenchGrain, BenchGrain>()
            .AddGrain<IIdleGrain, IdleGrain>()
            .UseSqliteStorage(o => o.DatabasePath = Path.Combine(folder, "grains.db")));
        var silo = new BenchSilo(services.BuildServiceProvider(), folder);
        foreach (var hosted in silo._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return silo;
    }

    /// <summary>References to <paramref name="count"/> bench grains, each activated by one call.</summary>
    public async Task<IBenchGrain[]> ActivateBenchGrainsAsync(int count)
    {
        var grains = new IBenchGrain[count];
        for (var i = 0; i < count; i++)
        {
            grains[i] = Grains.GetGrain<IBenchGrain>($"bench-{i}");
        }

        await Task.WhenAll(grains.Select(g => g.Get()));
        return grains;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
