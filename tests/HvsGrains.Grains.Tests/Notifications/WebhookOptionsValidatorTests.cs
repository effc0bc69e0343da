using HvsGrains.Grains.Notifications;

namespace HvsGrains.Grains.Tests.Notifications;

public sealed class WebhookOptionsValidatorTests
{
    [Fact]
    public void A_relative_url_an_empty_secret_and_an_unknown_event_are_refused_naming_their_keys_but_never_the_secret()
    {
        var options = new WebhookOptions();
        options.Endpoints["facility"] = new WebhookEndpointOptions { Url = "hooks/alarms", Secret = " ", Events = [WebhookEventTypes.AlarmRaised, "alarm.exploded"] };
        options.Endpoints["scada"] = new WebhookEndpointOptions { Url = "ftp://scada/x", Secret = "scada-secret-value" };

        var result = new WebhookOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Hvs:Webhooks:Endpoints:facility:Url ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Hvs:Webhooks:Endpoints:facility:Secret ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Hvs:Webhooks:Endpoints:facility:Events:1 'alarm.exploded'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Hvs:Webhooks:Endpoints:scada:Url ", StringComparison.Ordinal));
        Assert.Equal(4, failures.Count);
        Assert.DoesNotContain(failures, f => f.Contains("scada-secret-value", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sound_configuration_passes_and_an_endpoint_without_events_gets_the_alarm_life_cycle()
    {
        var options = new WebhookOptions();
        options.Endpoints["facility"] = new WebhookEndpointOptions { Url = "https://bms.example/hooks", Secret = "s" };

        Assert.True(new WebhookOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.Endpoints["facility"].Wants(WebhookEventTypes.AlarmCleared));
        Assert.False(options.Endpoints["facility"].Wants(WebhookEventTypes.ModuleLevelChanged));
        Assert.DoesNotContain("\"s\"", options.Endpoints["facility"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 2.5, 5)]
    [InlineData(2, 5, 10)]
    [InlineData(4, 20, 40)]
    [InlineData(30, 30, 60)]
    public void Retry_delays_double_with_jitter_between_half_and_all_and_stop_at_the_cap(int failures, double minSeconds, double maxSeconds)
    {
        var delivery = new WebhookDeliveryOptions { FirstRetryDelay = TimeSpan.FromSeconds(5), MaxRetryDelay = TimeSpan.FromMinutes(1) };
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => RetryDelay.After(failures, delivery, random).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, minSeconds, maxSeconds));
        Assert.True(delays.Max() - delays.Min() > (maxSeconds - minSeconds) / 2, "no jitter");
    }
}
