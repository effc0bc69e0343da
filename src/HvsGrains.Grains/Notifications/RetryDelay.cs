namespace HvsGrains.Grains.Notifications;

/// <summary>
/// Exponential backoff with "equal jitter": the n-th failure waits between half and all of first × 2^(n-1), capped, so
/// deliverers that failed together (a receiver restarting) do not all come back in the same second.
/// </summary>
public static class RetryDelay
{
    public static TimeSpan After(int failures, WebhookDeliveryOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var full = Math.Min(options.FirstRetryDelay.Ticks * Math.Pow(2, exponent), options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)((full / 2) + (random.NextDouble() * full / 2)));
    }
}
