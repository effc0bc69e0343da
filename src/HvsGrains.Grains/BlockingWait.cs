namespace HvsGrains.Grains;

/// <summary>
/// How the silo's own threads (log writer, model runs, module dispatch) wait for work: straight to a kernel wait.
/// Task.Wait and GetResult spin and yield first, which on 2 cores took CPU from the grains every time
/// one of these threads ran out of work (hundreds of times a second under load).
/// </summary>
public static class BlockingWait
{
    /// <summary>The task's result once it has completed.</summary>
    public static bool For(Task<bool> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        For(task, Timeout.InfiniteTimeSpan);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>True when the task completed within <paramref name="timeout"/>.</summary>
    public static bool For(Task task, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompleted || ((IAsyncResult)task).AsyncWaitHandle.WaitOne(timeout);
    }
}
