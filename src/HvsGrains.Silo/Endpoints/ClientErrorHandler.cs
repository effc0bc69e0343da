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
    private const string KestrelAssembly = "Microsoft.AspNetCore.Server.Kestrel.Core";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        if (StatusOf(exception) is not { } status)
        {
            return false;
        }

        log.Record(httpContext.Request, status, exception.Message);
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = status == StatusCodes.Status408RequestTimeout ? "The request body arrived too slowly" : "The request cannot be read",
                Detail = exception.Message,
                Extensions = { ["errors"] = new Dictionary<string, string[]> { [FieldOf(exception, status)] = [exception.Message] } },
            },
        });
    }

    /// <summary>
    /// The status of a client error, or null for a server error. Kestrel reports most broken bodies as
    /// BadHttpRequestException with their status, but some (a chunk size that overflows) as a bare IOException:
    /// coming from Kestrel itself, that too is about the client's request, not this server.
    /// </summary>
    private static int? StatusOf(Exception exception) => exception switch
    {
        BadHttpRequestException badRequest => badRequest.StatusCode,
        IOException { Source: KestrelAssembly } => StatusCodes.Status400BadRequest,
        _ => null,
    };

    /// <summary>
    /// The parameter a binding failure names ("Failed to bind parameter \"int? limit\" from ..."), the Content-Type for
    /// 415; else Kestrel's errors, which the app only meets while reading the body.
    /// </summary>
    private static string FieldOf(Exception exception, int status) =>
        ParameterName().Match(exception.Message) is { Success: true } match ? match.Groups["name"].Value
        : status == StatusCodes.Status415UnsupportedMediaType ? "Content-Type"
        : "body";

    [GeneratedRegex("parameter \"[^\"]* (?<name>[^\" ]+)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ParameterName();
}
