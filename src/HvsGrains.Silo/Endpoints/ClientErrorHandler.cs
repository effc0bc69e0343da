using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// Answers a malformed request with its own 4xx and a problem-details body instead of a 500: Kestrel's
/// <see cref="BadHttpRequestException"/> for a body too slow (408), a bad chunk (400) or too large (413), and the
/// endpoints' binding failures (a query value that is not a number or a time, a JSON body that does not parse).
/// Logged through <see cref="ClientErrorLog"/>, rate-limited and without a stack trace; since .NET 10 the exception
/// handler middleware records no error of its own for an exception a handler took.
/// </summary>
public sealed partial class ClientErrorHandler(IProblemDetailsService problems, ClientErrorLog log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var status = badRequest.StatusCode;
        log.Record(httpContext.Request, status, badRequest.Message);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status408RequestTimeout ? "The request body arrived too slowly" : "The request cannot be read",
                Detail = badRequest.Message,
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [FieldOf(badRequest, status)] = [badRequest.Message] } },
            },
        });
    }

    /// <summary>
    /// The parameter a binding failure names ("Failed to bind parameter \"int? limit\" from ..."), the Content-Type for
    /// 415; else Kestrel's errors, which the app only meets while reading the body.
    /// </summary>
    private static string FieldOf(BadHttpRequestException badRequest, int status) =>
        ParameterName().Match(badRequest.Message) is { Success: true } match ? match.Groups["name"].Value
        : status == StatusCodes.Status415UnsupportedMediaType ? "Content-Type"
        : "body";

    [GeneratedRegex("parameter \"[^\"]* (?<name>[^\" ]+)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ParameterName();
}
