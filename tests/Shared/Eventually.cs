namespace HvsGrains.Tests.Shared;

/// <summary>Waits for an effect that happens on another thread (a turn queued by a timer, say).</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, int attempts = 1500)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(10);
        }

        return false;
    }
}
