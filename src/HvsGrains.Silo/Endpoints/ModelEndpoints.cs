using System.Security.Claims;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// The model in use (read) and its life: upload a new version, roll back (admin). Changes go through the site's
/// model catalog grain, as the `hvs` tool's do, so every silo follows; this silo applies them before it answers.
/// </summary>
public static class ModelEndpoints
{
    /// <summary>The words of the 422 answer, also the log line's: an operator reading the log learns what the uploader learnt.</summary>
    private const string RefusedTitle = "Model refused; the previous model stays in use";

    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/model", GetModelAsync).RequireAuthorization(ApiRoles.CanRead).WithTags("Model")
            .WithSummary("The hazard model in use, the rollback target, or why the rules decide alone");
        var admin = api.MapGroup("/admin/models").RequireAuthorization(ApiRoles.CanAdminister).WithTags("Model");
        admin.MapPost("/", UploadAsync).WithSummary("Upload a new model version (application/octet-stream); validated, then swapped in")
            .WithMetadata(new RequestSizeLimitAttribute(ModelUploadBody.MaxBytes + 1)) // Kestrel's default of 30 MB would refuse models this endpoint takes
            .WithDescription("The previous version is kept for rollback. A model whose features differ from the silo's is refused with 422.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/rollback", RollbackAsync).WithSummary("Return to the previous model version")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<ModelView> GetModelAsync(HazardModelManager models, IGrainFactory grains, IOptions<WarehouseOptions> site) =>
        ModelView.Of(models, await Catalog(grains, site).GetCatalog());

    private static async Task<IResult> UploadAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        HazardModelManager models,
        IGrainFactory grains,
        IOptions<WarehouseOptions> site,
        ModelCatalogFollower follower,
        CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ModelUploadBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var change = await Catalog(grains, site).Upload(bytes!, By(user));
        if (change.Outcome == ModelChangeOutcome.Refused)
        {
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, RefusedTitle, "body", change.Reason!);
        }

        await follower.SyncAsync(cancellationToken);
        return TypedResults.Ok(ModelView.Of(models, change.Catalog));
    }

    private static async Task<IResult> RollbackAsync(
        ClaimsPrincipal user, HazardModelManager models, IGrainFactory grains, IOptions<WarehouseOptions> site, ModelCatalogFollower follower, CancellationToken cancellationToken)
    {
        var change = await Catalog(grains, site).Rollback(By(user));
        if (change.Outcome != ModelChangeOutcome.Changed)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "Nothing to roll back to", "model", change.Reason!);
        }

        await follower.SyncAsync(cancellationToken);
        return TypedResults.Ok(ModelView.Of(models, change.Catalog));
    }

    internal static IModelCatalogGrain Catalog(IGrainFactory grains, IOptions<WarehouseOptions> site) => grains.GetGrain<IModelCatalogGrain>(site.Value.SiteId);

    // The API key names who acts ("admin-key"): keys are per role, not per person.
    internal static string By(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";

    /// <summary>The model picture: this silo's current and previous model (or why the rules decide alone), and the site's catalog.</summary>
    public sealed record ModelView(HazardModelInfo? Current, HazardModelInfo? Previous, string? RulesOnlyReason, string? OnnxRuntimeVersion, ModelCatalogView Catalog)
    {
        public static ModelView Of(HazardModelManager models, ModelCatalogView catalog) =>
            new(models.Current, models.Previous, models.RulesOnlyReason, models.RuntimeVersion, catalog);
    }
}
