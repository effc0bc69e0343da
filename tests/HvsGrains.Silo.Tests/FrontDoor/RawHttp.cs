using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// HTTP/1.1 written by hand over a socket, for what HttpClient will not send: a bad chunk, a body slower than
/// Kestrel's minimum data rate, a body shorter than its Content-Length.
/// </summary>
public static class RawHttp
{
    /// <summary>The answer to one request; null when the server closed the connection without one.</summary>
    public sealed record Answer(int StatusCode, string ContentType, JsonElement? Problem);

    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, without the blank line) and <paramref name="body"/>,
    /// optionally closes the sending side, then reads until the server closes the connection.
    /// </summary>
    public static async Task<Answer?> SendAsync(Uri server, string head, string body, bool closeSending = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{head}\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n{body}"));
        if (closeSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        // A guard against a hang, not a measurement: the server answers or closes long before.
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, hang.Token);
        }
        catch (IOException)
        {
            // Reset by the server after its answer, or instead of one.
        }

        return Parse(Encoding.UTF8.GetString(received.ToArray()));
    }

    private static Answer? Parse(string response)
    {
        if (!response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return null;
        }

        var status = int.Parse(response.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var headersEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = headersEnd < 0 ? response : response[..headersEnd];
        var contentType = headers.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Trim() ?? "";

        // The problem body is one JSON object, maybe inside chunk framing: from its first brace to its last.
        var body = headersEnd < 0 ? "" : response[(headersEnd + 4)..];
        var start = body.IndexOf('{', StringComparison.Ordinal);
        var end = body.LastIndexOf('}');
        JsonElement? problem = start >= 0 && end > start ? JsonDocument.Parse(body[start..(end + 1)]).RootElement.Clone() : null;
        return new Answer(status, contentType, problem);
    }
}
