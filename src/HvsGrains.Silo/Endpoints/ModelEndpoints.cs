using HvsGrains.Grains.ModelScoring;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace HvsGrains.Silo.Endpoints;

/// <summary>The model in use (read) and its life: upload a new version, roll back (admin).</summary>
public static partial class ModelEndpoints
{
    /// <summary>The words of the 422 answer, also the log line's: an operator reading the log learns what the uploader learnt.</summary>
    private const string RefusedTitle = "Model refused; the previous model stays in use";

    private const long MaxModelBytes = 64 * 1024 * 1024;

    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/model", GetModel).RequireAuthorization(ApiRoles.CanRead).WithTags("Model")
            .WithSummary("The hazard model in use, the rollback target, or why the rules decide alone");
        var admin = api.MapGroup("/admin/models").RequireAuthorization(ApiRoles.CanAdminister).WithTags("Model");
        admin.MapPost("/", UploadAsync).WithSummary("Upload a new model version (application/octet-stream); validated, then swapped in")
            .WithMetadata(new RequestSizeLimitAttribute(MaxModelBytes + 1)) // Kestrel's default of 30 MB would refuse models this endpoint takes
            .WithDescription("The previous version is kept for rollback. A model whose features differ from the silo's is refused with 422.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/rollback", Rollback).WithSummary("Return to the previous model version")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static ModelView GetModel(HazardModelManager models) => ModelView.Of(models);

    private static async Task<IResult> UploadAsync(HttpRequest request, HazardModelManager models, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.ContentType, "application/octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Field(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Content-Type",
                "send the .onnx file's bytes as application/octet-stream");
        }

        byte[] bytes;
        try
        {
            using var body = await RequestBody.ReadAsync(request, MaxModelBytes, cancellationToken);
            bytes = body.Span.ToArray(); // the model store keeps these bytes
        }
        catch (Ingest.BatchFormatException problem)
        {
            return Problems.Field(problem.StatusCode, "Model too large", "body", problem.Reason);
        }

        if (bytes.Length == 0)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "Empty model", "body", "the body holds no model");
        }

        try
        {
            models.Upload(bytes);
            return TypedResults.Ok(ModelView.Of(models));
        }
        catch (ModelRejectedException rejected)
        {
            LogRefused(loggers.CreateLogger(typeof(ModelEndpoints).FullName!), RefusedTitle, rejected.Message, models.Current?.Version ?? "no model, the rules decide alone");
            return Problems.Field(StatusCodes.Status422UnprocessableEntity, RefusedTitle, "body", rejected.Message);
        }
    }

    private static IResult Rollback(HazardModelManager models)
    {
        try
        {
            models.Rollback();
            return TypedResults.Ok(ModelView.Of(models));
        }
        catch (InvalidOperationException noPrevious)
        {
            return Problems.Field(StatusCodes.Status409Conflict, "Nothing to roll back to", "model", noPrevious.Message);
        }
    }

    // No exception: the reason is the whole story, and the uploader got the same words.
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Title}: body: {Reason} (in use: {InUse})")]
    private static partial void LogRefused(ILogger logger, string title, string reason, string inUse);

    /// <summary>The model picture: current, previous, or why the rules decide alone.</summary>
    public sealed record ModelView(HazardModelInfo? Current, HazardModelInfo? Previous, string? RulesOnlyReason, string? OnnxRuntimeVersion)
    {
        public static ModelView Of(HazardModelManager models) => new(models.Current, models.Previous, models.RulesOnlyReason, models.RuntimeVersion);
    }
}
