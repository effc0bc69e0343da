using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// The answer to an ingest request shed because the silo is at its limit: 503, Retry-After and a problem body
/// saying that nothing of the batch was taken, so the gateway sends the same batch again later.
/// </summary>
public sealed partial class ShedIngestResponder(IProblemDetailsService problems, SiloMetrics metrics, IOptions<IngestOptions> options, ILogger<ShedIngestResponder> logger)
{
    public async ValueTask AnswerAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var retryAfter = options.Value.RetryAfterSeconds;
        metrics.IngestShed();
        LogShed(logger, context.Request.Path, retryAfter);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers[HeaderNames.RetryAfter] = retryAfter.ToString(CultureInfo.InvariantCulture);
        // The body was never read: closing the connection spares Kestrel reading and discarding it (up to 8 MiB)
        // only to keep the connection for a sender that is told to wait anyway.
        context.Response.Headers[HeaderNames.Connection] = "close";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The silo is busy",
                Detail = $"The silo is at its limit of {options.Value.MaxConcurrentRequests} ingest requests at once; none of this batch was taken. Send it again after {retryAfter} s.",
                Extensions = { ["retryAfterSeconds"] = retryAfter },
            },
        });
    }

    // Debug: under overload this happens many times a second, and the shed counter (hvs.ingest.shed) already counts it.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Ingest request to {Path} shed: the silo is at its ingest limit; told to retry after {RetryAfterSeconds} s")]
    private static partial void LogShed(ILogger logger, PathString path, int retryAfterSeconds);
}
