using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests.Grains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly ActivationLog _log;
    private int _count;
    private int _inside;
    private int _maxInside;

    public CounterGrain(ActivationLog log)
    {
        _log = log;
        ActivationLog.Bump(log.Constructed, PrimaryKey);
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ActivationLog.Bump(_log.Activated, PrimaryKey);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ActivationLog.Bump(_log.Deactivated, PrimaryKey);
        _log.Reasons.Enqueue(reason);
        return Task.CompletedTask;
    }

    public Task<int> Increment() => Task.FromResult(++_count);

    public async Task<int> IncrementSlowly()
    {
        var inside = Interlocked.Increment(ref _inside);
        _maxInside = Math.Max(_maxInside, inside);
        var before = _count;
        await Task.Yield();
        await Task.Delay(TimeSpan.FromMilliseconds(inside % 3));
        _count = before + 1;
        Interlocked.Decrement(ref _inside);
        return _count;
    }

    public Task<int> GetCount() => Task.FromResult(_count);

    public Task<int> GetMaxConcurrency() => Task.FromResult(_maxInside);

    public Task Add(int amount)
    {
        _count += amount;
        return Task.CompletedTask;
    }

    public async ValueTask WaitAtGate() => await _log.Gate.Task;

    public Task Fail(string message) => throw new InvalidOperationException(message);

    public ValueTask<Measurement> Record(Measurement measurement, int[] extra) =>
        ValueTask.FromResult(measurement with { Value = measurement.Value + extra.Sum() });

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
