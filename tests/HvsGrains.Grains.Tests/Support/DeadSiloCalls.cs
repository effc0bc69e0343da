using HvsGrains.Grains.ReadingLog;

namespace HvsGrains.Grains.Tests.Support;

/// <summary>Calls made while a killed silo is not yet declared dead: routed to it, they time out or are rejected; then they land.</summary>
internal static class DeadSiloCalls
{
    /// <summary>Calls until answered, a second apart, at most <paramref name="attempts"/> times; other failures fail at once.</summary>
    public static async Task<T> UntilAnsweredAsync<T>(Func<Task<T>> call, int attempts = 30)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < attempts && e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or ReadingLogUnavailableException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
