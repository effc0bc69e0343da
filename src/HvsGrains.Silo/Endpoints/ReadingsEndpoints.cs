using System.Globalization;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Silo.Ingest;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HvsGrains.Silo.Endpoints;

/// <summary>POST /api/v1/readings (JSON) and /api/v1/readings/csv (seed-format CSV).</summary>
public static class ReadingsEndpoints
{
    // Content types are checked in the handler, not with Accepts metadata: routing would answer 415 before
    // authentication and without a problem body.
    public static RouteGroupBuilder MapReadingsEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var readings = api.MapGroup("/readings").RequireAuthorization(ApiRoles.CanIngest).WithTags("Readings");
        readings.MapPost("/", PostJsonAsync)
            .WithSummary("Ingest a JSON array of readings")
            .WithDescription("Body (application/json): an array of readings with moduleId, rackId, timestamp (ISO 8601 with offset) and the sensor values.")
            .Produces<IngestResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        readings.MapPost("/csv", PostCsvAsync)
            .WithSummary("Ingest readings from a CSV file in the seed dataset's columns")
            .WithDescription("Body (text/csv): a header row with Timestamp, Module_ID, Rack_ID and any sensor columns; extra columns are ignored.")
            .Produces<IngestResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return readings;
    }

    private delegate ParsedBatch ReadBatch(ReadOnlySpan<byte> body);

    private static Task<IResult> PostJsonAsync(HttpRequest request, JsonReadingBatchReader reader, ReadingIngestor ingestor, IOptions<IngestOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
        IngestAsync(request, ["application/json"], body => reader.Read(body, clock.GetUtcNow()), ingestor, options.Value, cancellationToken);

    private static Task<IResult> PostCsvAsync(HttpRequest request, CsvReadingBatchReader reader, ReadingIngestor ingestor, IOptions<IngestOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
        IngestAsync(request, ["text/csv", "application/csv", "text/plain"], body => reader.Read(body, clock.GetUtcNow()), ingestor, options.Value, cancellationToken);

    private static async Task<IResult> IngestAsync(
        HttpRequest request,
        string[] mediaTypes,
        ReadBatch parse,
        ReadingIngestor ingestor,
        IngestOptions options,
        CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is null || !mediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return Problems.Field(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type", "Content-Type",
                $"'{mediaType ?? "(none)"}' is not accepted here; send {string.Join(" or ", mediaTypes)}");
        }

        ParsedBatch batch;
        try
        {
            using var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken);
            batch = parse(body.Span);
        }
        catch (BatchFormatException problem)
        {
            return Problems.Field(problem.StatusCode, "The batch cannot be read", problem.Field, problem.Reason);
        }

        IngestResult result;
        try
        {
            result = await ingestor.IngestAsync(batch, cancellationToken);
        }
        catch (ReadingLogUnavailableException)
        {
            return Unavailable(request.HttpContext, options.RetryAfterSeconds, "The readings log is unavailable",
                "The readings could not be made durable, so none of this batch was acknowledged.");
        }
        catch (ReadingsNotAppliedException notApplied)
        {
            return Unavailable(request.HttpContext, options.RetryAfterSeconds, "Readings not yet confirmed by their modules", notApplied.Message);
        }

        if (result.Rejected.Count == 0)
        {
            return TypedResults.Ok(result);
        }

        // Some readings were bad: say which and why, and that the others were kept.
        var errors = result.Rejected
            .GroupBy(r => $"[{r.Index}].{r.Field}")
            .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray());
        return TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Some readings were rejected",
            detail: $"{result.Rejected.Select(r => r.Index).Distinct().Count()} of {batch.Total} readings were rejected; " +
                    $"{result.Accepted} were accepted and {result.Duplicates} were duplicates of readings already logged.",
            extensions: new Dictionary<string, object?>
            {
                ["accepted"] = result.Accepted,
                ["duplicates"] = result.Duplicates,
                ["rejected"] = result.Rejected,
                ["invalidChannels"] = result.InvalidChannels,
                ["errors"] = errors,
            });
    }

    /// <summary>
    /// The batch is not acknowledged (the log could not make it durable, or its modules did not confirm it): 503 and
    /// Retry-After tell the gateway to send the same batch again, and readings that did reach the log then come back as
    /// duplicates, not twice.
    /// </summary>
    private static IResult Unavailable(HttpContext context, int retryAfterSeconds, string title, string detail)
    {
        context.Response.Headers[HeaderNames.RetryAfter] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: title,
            detail: $"{detail} Send it again after {retryAfterSeconds} s.",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfterSeconds });
    }
}
