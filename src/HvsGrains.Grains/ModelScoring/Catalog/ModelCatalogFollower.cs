using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// Keeps this silo's <see cref="HazardModelManager"/> on the catalog's active version: asks the catalog grain every
/// <see cref="ModelOptions.CatalogPollInterval"/> (and at once after a change made through this silo).
/// </summary>
/// <remarks>
/// A short poll rather than a grain observer: an observer reference lives only as long as the catalog's activation,
/// which moves whenever its silo dies, so silos would have to re-subscribe on a timer anyway; the poll is that timer
/// alone, cannot miss a change, and doubles as the silo's report of the model it runs. Model changes are rare, the
/// call is small (no bytes unless the version changed), and the silo that served a change applies it before answering.
/// </remarks>
public sealed partial class ModelCatalogFollower(
    IGrainFactory grains,
    HazardModelManager models,
    IOptions<WarehouseOptions> site,
    IOptions<ModelOptions> options,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<ModelCatalogFollower> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private bool _followed;
    private string? _followedSha256;

    /// <summary>Brings this silo to the catalog's active version now.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var catalog = grains.GetGrain<IModelCatalogGrain>(site.Value.SiteId);
            var view = await catalog.Sync(Report());
            if (view.Revision == 0)
            {
                // Nothing was ever uploaded to the catalog: a model this silo had uploaded before becomes the site's.
                if (models.Current is { Source: "uploaded" } own && models.TryReadStored(own.Sha256) is { } bytes)
                {
                    view = (await catalog.Adopt(bytes, $"silo {silo.Name} (its model store)")).Catalog;
                }

                if (view.Revision == 0)
                {
                    return; // every silo keeps its bundled model
                }
            }

            await FollowShadowAsync(catalog, view.Shadow);
            var wanted = view.Active?.Sha256;
            if (_followed && _followedSha256 == wanted)
            {
                return;
            }

            byte[]? model = null;
            if (wanted is not null && (model = models.TryReadStored(wanted) ?? await catalog.GetModel(wanted)) is null)
            {
                return; // replaced again meanwhile; the next sync sees the newer version
            }

            models.Follow(wanted, model);
            (_followed, _followedSha256) = (true, wanted);
            await catalog.Sync(Report());
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CatalogPollInterval, clock);
        do
        {
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return; // the silo is stopping: a call cut short is no news
            }
            catch (Exception exception)
            {
                // The catalog may be moving to another silo; the current model stays in use until the next try.
                LogSyncFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private SiloModelReport Report()
    {
        var current = models.Current;
        return new SiloModelReport(silo.Name, current?.Sha256, current?.Version, current?.Source, models.RulesOnlyReason, clock.GetUtcNow(),
            models.Shadow?.Version, models.ShadowRefusedReason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach the model catalog; this silo keeps its current model and tries again")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
