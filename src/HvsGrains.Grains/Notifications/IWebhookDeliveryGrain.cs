using Orleans.Concurrency;

namespace HvsGrains.Grains.Notifications;

/// <summary>The one deliverer of a webhook endpoint in the cluster. Key: the endpoint's name.</summary>
[Alias("hvs.webhook-delivery")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>Something may be waiting: deliver it now unless a retry is scheduled for later.</summary>
    [OneWay, Alias("wake")]
    Task Wake();

    [AlwaysInterleave, Alias("status")]
    Task<WebhookStatus> GetStatus();
}
