using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// Wakes every endpoint's deliverer when the silo becomes active and then every <see cref="WebhookDeliveryOptions.WakeInterval"/>.
/// The warehouse wakes them whenever it writes an event, but after a crash nothing else would: the dead silo's retry
/// timers are gone and the warehouse may not be asked anything for hours. Every silo runs one; the deliverers are
/// grains, so however many silos wake an endpoint, one activation delivers.
/// </summary>
public sealed partial class WebhookKeeper(
    IOptions<WebhookOptions> options,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<WebhookKeeper> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(WebhookKeeper), ServiceLifecycleStage.Active, Start, StopAsync);
    }

    private Task Start(CancellationToken cancellationToken)
    {
        if (options.Value.Endpoints.Count > 0)
        {
            _running = RunAsync(_stopping.Token);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.Delivery.WakeInterval, clock);
        try
        {
            do
            {
                foreach (var endpoint in options.Value.Endpoints.Keys)
                {
                    try
                    {
                        await grains.GetGrain<IWebhookDeliveryGrain>(endpoint).Wake();
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogWakeFailed(logger, endpoint, e);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stopping));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // the silo is stopping
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not wake the webhook deliverer of endpoint {Endpoint}")]
    private static partial void LogWakeFailed(ILogger logger, string endpoint, Exception exception);
}
