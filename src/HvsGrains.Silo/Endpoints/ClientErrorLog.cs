using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// Logs malformed requests in one line each, without a stack trace, and at most one line per
/// <see cref="ClientErrorLogOptions.LogInterval"/>: anyone can send bad requests, so each must not cost a log line.
/// The next line logged says how many were left out.
/// </summary>
/// <remarks>Hand-written: the log sampling of Microsoft.Extensions.Telemetry drops lines at random and counts none.</remarks>
public sealed partial class ClientErrorLog(ILogger<ClientErrorLog> logger, TimeProvider clock, IOptions<ClientErrorLogOptions> options)
{
    private const int MaxReasonLength = 200;

    private readonly Lock _gate = new();
    private DateTimeOffset? _lastLineAt;
    private int _leftOut;

    public void Record(HttpRequest request, int statusCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reason);
        int leftOut;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_lastLineAt is { } last && now - last < options.Value.LogInterval)
            {
                _leftOut++;
                return;
            }

            _lastLineAt = now;
            leftOut = _leftOut;
            _leftOut = 0;
        }

        LogClientError(logger, statusCode, request.Method, request.Path.ToUriComponent(), Printable(reason), leftOut, options.Value.LogInterval);
    }

    // The reason may quote what the client sent: one line, no control characters, bounded.
    private static string Printable(string reason)
    {
        var shortened = reason.Length <= MaxReasonLength ? reason : string.Concat(reason.AsSpan(0, MaxReasonLength), "…");
        return string.Create(shortened.Length, shortened, (chars, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                chars[i] = char.IsControl(text[i]) || char.IsSurrogate(text[i]) ? '?' : text[i];
            }
        });
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Client error {StatusCode} on {Method} {Path}: {Reason} ({LeftOut} more client errors since the previous such line were not logged; at most one line every {Interval})")]
    private static partial void LogClientError(ILogger logger, int statusCode, string method, string path, string reason, int leftOut, TimeSpan interval);
}
