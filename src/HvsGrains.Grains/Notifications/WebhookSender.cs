using System.Net.Http.Headers;
using System.Net.Mime;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Grains.Notifications;

/// <summary>POSTs one signed event to one endpoint and says whether the receiver took it (any 2xx) and, if not, why.</summary>
public sealed partial class WebhookSender(IHttpClientFactory clients, TimeProvider clock, ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "hvs-webhooks";

    public async Task<DeliveryOutcome> SendAsync(string endpointName, WebhookEndpointOptions endpoint, string siteId, OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(entry);
        var body = WebhookPayload.Serialize(siteId, entry);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypeNames.Application.Json);
        request.Headers.Add(WebhookSignature.EventIdHeader, entry.EventId.ToString());
        request.Headers.Add(WebhookSignature.EventTypeHeader, entry.Type);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(endpoint.Secret, timestamp, body));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return DeliveryOutcome.Success;
            }

            var reason = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
            LogRefused(logger, entry.EventId, endpointName, reason);
            return DeliveryOutcome.Failed(reason);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, entry.EventId, endpointName, e.Message);
            return DeliveryOutcome.Failed(e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.HttpRequestError}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, entry.EventId, endpointName, "timed out");
            return DeliveryOutcome.Failed("timed out");
        }
    }

    [LoggerMessage(LogLevel.Warning, "Webhook {EventId} to endpoint {Endpoint} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid eventId, string endpoint, string reason);

    [LoggerMessage(LogLevel.Warning, "Webhook {EventId} to endpoint {Endpoint} not delivered: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Guid eventId, string endpoint, string reason);
}

/// <summary>A delivery attempt's result; <see cref="Reason"/> names what went wrong when it failed.</summary>
public readonly record struct DeliveryOutcome(bool Delivered, string? Reason)
{
    public static DeliveryOutcome Success => new(true, null);

    public static DeliveryOutcome Failed(string reason) => new(false, reason);
}
