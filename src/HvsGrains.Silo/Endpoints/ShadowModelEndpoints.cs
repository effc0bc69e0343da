using System.Security.Claims;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Shadow;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// A candidate model in shadow: read the comparison with the active model; put a candidate in shadow, promote it or
/// remove it (admin). Changes go through the site's model catalog grain, so every silo follows; this silo applies them
/// before it answers.
/// </summary>
public static class ShadowModelEndpoints
{
    /// <summary>The words of the 422 answer, also the catalog's log line.</summary>
    private const string RefusedTitle = "Shadow model refused; nothing changes";

    public static RouteGroupBuilder MapShadowModelEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/model/shadow", GetShadowAsync).RequireAuthorization(ApiRoles.CanRead).WithTags("Model")
            .WithSummary("The candidate in shadow and how it compares with the active model: agreement, differences, first alarms per module")
            .ProducesProblem(StatusCodes.Status404NotFound);
        var shadow = api.MapGroup("/admin/models/shadow").RequireAuthorization(ApiRoles.CanAdminister).WithTags("Model");
        shadow.MapPost("/", UploadAsync).WithSummary("Put a candidate model in shadow (application/octet-stream); validated like an upload")
            .WithMetadata(new RequestSizeLimitAttribute(ModelUploadBody.MaxBytes + 1))
            .WithDescription("It scores every reading beside the active model without affecting levels or alarms; another candidate in shadow is replaced.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        shadow.MapPost("/promote", PromoteAsync).WithSummary("Make the candidate in shadow the active model; the active one becomes the rollback target")
            .ProducesProblem(StatusCodes.Status409Conflict);
        shadow.MapDelete("/", RemoveAsync).WithSummary("Stop running the candidate in shadow")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> GetShadowAsync(IGrainFactory grains, IOptions<WarehouseOptions> site, ShadowReporter reporter, CancellationToken cancellationToken)
    {
        try
        {
            await reporter.ReportAsync(cancellationToken); // this silo's part up to now; the others' within their report interval
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The tally was kept and goes with the reporter's next report (which logs if that fails too); answer with what the trial has.
        }

        return await ShadowTrialView.ReadAsync(grains, site.Value.SiteId) is { } view
            ? TypedResults.Ok(view)
            : Problems.Field(StatusCodes.Status404NotFound, "No shadow model", "shadow", "no candidate runs in shadow; put one there with POST /api/v1/admin/models/shadow");
    }

    private static async Task<IResult> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOptions<WarehouseOptions> site, ModelCatalogFollower follower, CancellationToken cancellationToken)
    {
        var (bytes, problem) = await ModelUploadBody.ReadAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var change = await ModelEndpoints.Catalog(grains, site).UploadShadow(bytes!, ModelEndpoints.By(user));
        switch (change.Outcome)
        {
            case ModelChangeOutcome.Refused:
                return Problems.Field(StatusCodes.Status422UnprocessableEntity, RefusedTitle, "body", change.Reason!);
            case ModelChangeOutcome.NothingToDo:
                return Problems.Field(StatusCodes.Status409Conflict, "Nothing to compare", "body", change.Reason!);
        }

        await follower.SyncAsync(cancellationToken);
        return TypedResults.Ok(await ShadowTrialView.ReadAsync(grains, site.Value.SiteId));
    }

    private static async Task<IResult> PromoteAsync(
        ClaimsPrincipal user, HazardModelManager models, IGrainFactory grains, IOptions<WarehouseOptions> site, ModelCatalogFollower follower, CancellationToken cancellationToken) =>
        await ChangedAsync(await ModelEndpoints.Catalog(grains, site).PromoteShadow(ModelEndpoints.By(user)), models, follower, cancellationToken);

    private static async Task<IResult> RemoveAsync(
        ClaimsPrincipal user, HazardModelManager models, IGrainFactory grains, IOptions<WarehouseOptions> site, ModelCatalogFollower follower, CancellationToken cancellationToken) =>
        await ChangedAsync(await ModelEndpoints.Catalog(grains, site).RemoveShadow(ModelEndpoints.By(user)), models, follower, cancellationToken);

    private static async Task<IResult> ChangedAsync(ModelChange change, HazardModelManager models, ModelCatalogFollower follower, CancellationToken cancellationToken)
    {
        if (change.Outcome != ModelChangeOutcome.Changed)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "No shadow model", "shadow", change.Reason!);
        }

        await follower.SyncAsync(cancellationToken);
        return TypedResults.Ok(ModelEndpoints.ModelView.Of(models, change.Catalog));
    }
}
