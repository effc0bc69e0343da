using System.Text.Json;

namespace HvsGrains.Cli.Connection;

/// <summary>What the front door said when it refused a request: the problem-details "detail", or the start of the body.</summary>
internal static class ProblemDetail
{
    public static string Of(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }
}
