using System.Globalization;
using HvsGrains.Grains.ReadingLog;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Net.Http.Headers;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// A query the readings log cannot answer because its database is away (cluster mode) is 503 with Retry-After, not a
/// 500: nothing is wrong with the request, and the log comes back by itself.
/// </summary>
public sealed class StoreUnavailableHandler(IProblemDetailsService problems) : IExceptionHandler
{
    private const int RetryAfterSeconds = 2;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not ReadingLogUnavailableException)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The readings log is unavailable",
                Detail = $"{exception.Message} Ask again after {RetryAfterSeconds} s.",
                Extensions = { ["retryAfterSeconds"] = RetryAfterSeconds },
            },
        });
    }
}
