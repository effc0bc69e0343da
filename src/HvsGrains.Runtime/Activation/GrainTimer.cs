namespace HvsGrains.Runtime.Activation;

/// <summary>A timer whose ticks are queued as turns of its activation, one at a time.</summary>
internal sealed class GrainTimer : IGrainTimer
{
    private readonly ActivationData _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private readonly TimerTurn _turn;
    private int _tickPending;
    private volatile bool _disposed;

    public GrainTimer(ActivationData activation, Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        _activation = activation;
        _callback = callback;
        _turn = new TimerTurn(this);
        _timer = activation.Runtime.TimeProvider.CreateTimer(static state => ((GrainTimer)state!).OnTimer(), this, dueTime, period);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    internal Task TickAsync() => _disposed ? Task.CompletedTask : _callback(CancellationToken.None);

    internal void TickFinished() => Volatile.Write(ref _tickPending, 0);

    private void OnTimer()
    {
        // Skip this tick while the previous one is still queued or running, as Orleans does.
        if (_disposed || Interlocked.CompareExchange(ref _tickPending, 1, 0) != 0)
        {
            return;
        }

        if (!_activation.TryEnqueue(_turn))
        {
            TickFinished();
        }
    }
}
