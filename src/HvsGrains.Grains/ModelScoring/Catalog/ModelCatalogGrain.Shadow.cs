using HvsGrains.Grains.ModelScoring.Shadow;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// The catalog's shadow slot: a candidate validated exactly like an upload runs beside the active model on every silo
/// until an admin promotes it (it becomes active, the active one the rollback target) or removes it. Each candidate
/// put in shadow starts a trial, an <see cref="IShadowComparisonGrain"/> keyed by the site and the catalog revision.
/// </summary>
public sealed partial class ModelCatalogGrain
{
    public async Task<ModelChange> UploadShadow(byte[] model, string by)
    {
        ArgumentNullException.ThrowIfNull(model);
        HazardModelInfo info;
        try
        {
            info = models.Check(model);
        }
        catch (ModelRejectedException rejected)
        {
            LogShadowRefused(logger, rejected.Message, EntryOf(state.State.ShadowSha256)?.Version ?? "none", by);
            return new ModelChange(ModelChangeOutcome.Refused, rejected.Message, View());
        }

        var catalog = state.State;
        if (info.Sha256 == (catalog.ActiveSha256 ?? (models.Current is { Source: "bundled" } bundled ? bundled.Sha256 : null)))
        {
            return new ModelChange(ModelChangeOutcome.NothingToDo, "The candidate is the active model; there is nothing to compare it with.", View());
        }

        if (catalog.ShadowSha256 == info.Sha256)
        {
            return new ModelChange(ModelChangeOutcome.Changed, null, View()); // a retried upload changes nothing
        }

        await EndTrialAsync("replaced by another candidate", by);
        var entry = new ModelCatalogEntry(info.Sha256, info.Version, model.LongLength, by, clock.GetUtcNow());
        catalog.Models[info.Sha256] = new StoredModel(entry, model); // the latest upload of these bytes says who and when
        catalog.ShadowSha256 = info.Sha256;
        catalog.ShadowTrial = $"{this.GetPrimaryKeyString()}/shadow-{catalog.Revision + 1}";
        await CommitAsync(by);
        await GrainFactory.GetGrain<IShadowComparisonGrain>(catalog.ShadowTrial).Start(entry, ActiveVersion());
        LogShadowChanged(logger, "put in shadow", info.Version, by);
        return new ModelChange(ModelChangeOutcome.Changed, null, View());
    }

    public async Task<ModelChange> PromoteShadow(string by)
    {
        var catalog = state.State;
        if (catalog.ShadowSha256 is not { } candidate)
        {
            return new ModelChange(ModelChangeOutcome.NothingToDo, "There is no shadow model to promote.", View());
        }

        await EndTrialAsync("promoted", by);
        catalog.PreviousSha256 = catalog.ActiveSha256;
        catalog.HasPrevious = true;
        catalog.ActiveSha256 = candidate;
        (catalog.ShadowSha256, catalog.ShadowTrial) = (null, null);
        await CommitAsync(by);
        LogShadowChanged(logger, "promoted to active", VersionOf(candidate), by);
        return new ModelChange(ModelChangeOutcome.Changed, null, View());
    }

    public async Task<ModelChange> RemoveShadow(string by)
    {
        var catalog = state.State;
        if (catalog.ShadowSha256 is not { } candidate)
        {
            return new ModelChange(ModelChangeOutcome.NothingToDo, "There is no shadow model to remove.", View());
        }

        var version = VersionOf(candidate);
        await EndTrialAsync("removed", by);
        (catalog.ShadowSha256, catalog.ShadowTrial) = (null, null);
        await CommitAsync(by);
        LogShadowChanged(logger, "removed from shadow", version, by);
        return new ModelChange(ModelChangeOutcome.Changed, null, View());
    }

    /// <summary>The active version's name; the bundled model's as this silo runs it (every silo ships the same one).</summary>
    private string ActiveVersion() =>
        EntryOf(state.State.ActiveSha256)?.Version ?? (models.Current is { Source: "bundled" } bundled ? bundled.Version : "the bundled model");

    private ShadowSlot? ShadowSlot() =>
        state.State is { ShadowSha256: { } sha, ShadowTrial: { } trial } && EntryOf(sha) is { } entry ? new ShadowSlot(entry, trial) : null;

    private Task EndTrialAsync(string how, string by) =>
        state.State.ShadowTrial is { } trial ? GrainFactory.GetGrain<IShadowComparisonGrain>(trial).End(how, by) : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow model refused; nothing changes: body: {Reason} (in shadow: {InShadow}; upload by {By})")]
    private static partial void LogShadowRefused(ILogger logger, string reason, string inShadow, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "The site's hazard model {Version} was {Change} by {By}; every silo follows")]
    private static partial void LogShadowChanged(ILogger logger, string change, string version, string by);
}
