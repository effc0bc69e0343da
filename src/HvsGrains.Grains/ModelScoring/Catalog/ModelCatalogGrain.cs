using Microsoft.Extensions.Logging;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// The site's model versions. An upload is validated here with the silo's own validator before it becomes
/// active; a refusal changes nothing and is logged in the words the caller gets back.
/// </summary>
[GrainType("model-catalog")]
public sealed partial class ModelCatalogGrain(
    [PersistentState("model-catalog")] IPersistentState<ModelCatalogState> state,
    HazardModelManager models,
    TimeProvider clock,
    ILogger<ModelCatalogGrain> logger) : Grain, IModelCatalogGrain
{
    /// <summary>A silo silent for this long is left out of the view (it died or left); silos report every few seconds.</summary>
    private static readonly TimeSpan ReportsKept = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, SiloModelReport> _silos = new(StringComparer.Ordinal);

    public Task<ModelCatalogView> GetCatalog() => Task.FromResult(View());

    public async Task<ModelChange> Upload(byte[] model, string by)
    {
        ArgumentNullException.ThrowIfNull(model);
        HazardModelInfo info;
        try
        {
            info = models.Check(model);
        }
        catch (ModelRejectedException rejected)
        {
            LogRefused(logger, rejected.Message, models.Current?.Version ?? "no model, the rules decide alone", by);
            return new ModelChange(ModelChangeOutcome.Refused, rejected.Message, View());
        }

        var catalog = state.State;
        if (catalog.ActiveSha256 == info.Sha256)
        {
            return new ModelChange(ModelChangeOutcome.Changed, null, View()); // a retried upload changes nothing
        }

        catalog.Models[info.Sha256] = new StoredModel(new ModelCatalogEntry(info.Sha256, info.Version, model.LongLength, by, clock.GetUtcNow()), model);
        catalog.PreviousSha256 = catalog.ActiveSha256;
        catalog.HasPrevious = true;
        catalog.ActiveSha256 = info.Sha256;
        await CommitAsync(by);
        LogChanged(logger, "uploaded", info.Version, by);
        return new ModelChange(ModelChangeOutcome.Changed, null, View());
    }

    public async Task<ModelChange> Rollback(string by)
    {
        var catalog = state.State;
        if (!catalog.HasPrevious)
        {
            return new ModelChange(ModelChangeOutcome.NothingToDo, "There is no previous model to roll back to.", View());
        }

        (catalog.ActiveSha256, catalog.PreviousSha256) = (catalog.PreviousSha256, catalog.ActiveSha256);
        await CommitAsync(by);
        LogChanged(logger, "rolled back to", VersionOf(catalog.ActiveSha256), by);
        return new ModelChange(ModelChangeOutcome.Changed, null, View());
    }

    public Task<byte[]?> GetModel(string sha256) =>
        Task.FromResult(state.State.Models.TryGetValue(sha256, out var stored) ? stored.Bytes : null);

    public Task<ModelCatalogView> Sync(SiloModelReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _silos[report.Silo] = report;
        return Task.FromResult(View());
    }

    public Task<ModelChange> Adopt(byte[] model, string by) =>
        state.State.Revision == 0
            ? Upload(model, by)
            : Task.FromResult(new ModelChange(ModelChangeOutcome.NothingToDo, "The catalog already has a history; the silos follow it.", View()));

    private async Task CommitAsync(string by)
    {
        var catalog = state.State;
        catalog.Revision++;
        catalog.ChangedBy = by;
        catalog.ChangedAt = clock.GetUtcNow();
        foreach (var sha in catalog.Models.Keys.Where(k => k != catalog.ActiveSha256 && k != catalog.PreviousSha256 && k != catalog.ShadowSha256).ToList())
        {
            catalog.Models.Remove(sha); // only the active, previous and shadow versions are kept
        }

        await state.WriteStateAsync();
    }

    private ModelCatalogView View()
    {
        var catalog = state.State;
        var now = clock.GetUtcNow();
        foreach (var silent in _silos.Values.Where(r => now - r.At > ReportsKept).ToList())
        {
            _silos.Remove(silent.Silo);
        }

        return new ModelCatalogView(
            catalog.Revision,
            EntryOf(catalog.ActiveSha256),
            EntryOf(catalog.PreviousSha256),
            catalog.HasPrevious,
            catalog.ChangedBy,
            catalog.ChangedAt,
            [.. _silos.Values.OrderBy(r => r.Silo, StringComparer.Ordinal)],
            ShadowSlot());
    }

    private ModelCatalogEntry? EntryOf(string? sha256) => sha256 is not null && state.State.Models.TryGetValue(sha256, out var stored) ? stored.Entry : null;

    private string VersionOf(string? sha256) => EntryOf(sha256)?.Version ?? "the bundled model";

    // In the API's words (title: field: reason), so what the log says and what the uploader was told are the same.
    [LoggerMessage(Level = LogLevel.Warning, Message = "Model refused; the previous model stays in use: body: {Reason} (in use: {InUse}; upload by {By})")]
    private static partial void LogRefused(ILogger logger, string reason, string inUse, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "The site's hazard model was {Change} {Version} by {By}; every silo follows")]
    private static partial void LogChanged(ILogger logger, string change, string version, string by);
}
