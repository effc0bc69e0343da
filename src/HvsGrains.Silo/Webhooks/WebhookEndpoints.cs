using HvsGrains.Grains.Notifications;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Webhooks;

/// <summary>
/// Delivery status of the configured webhook endpoints. The read role may see it: operators on the site page need to
/// know when the facility system stopped hearing from us; the status carries no secret and no URL query.
/// </summary>
public static class WebhookEndpoints
{
    public static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var webhooks = api.MapGroup("/webhooks").RequireAuthorization(ApiRoles.CanRead).WithTags("Webhooks");
        webhooks.MapGet("/", GetStatusAsync).WithSummary("Each endpoint: delivered, pending, last success and failure, dead letters");
        return webhooks;
    }

    private static async Task<WebhookStatus[]> GetStatusAsync(IGrainFactory grains, IOptions<WebhookOptions> options) =>
        await Task.WhenAll(options.Value.Endpoints.Keys.Order(StringComparer.Ordinal)
            .Select(endpoint => grains.GetGrain<IWebhookDeliveryGrain>(endpoint).GetStatus()));
}
