using HvsGrains.Runtime;

namespace HvsGrains.Benchmarks.Grains;

/// <summary>The grain the throughput and latency benchmarks call.</summary>
public interface IBenchGrain : IGrainWithStringKey
{
    /// <summary>One-way: adds to a field and counts the call as processed.</summary>
    [OneWay]
    Task Report(int value);

    /// <summary>Request/response: returns the running total.</summary>
    Task<int> Get();
}

public sealed class BenchGrain(CallCounter counter) : Grain, IBenchGrain
{
    private int _total;

    public Task Report(int value)
    {
        _total += value;
        counter.Increment();
        return Task.CompletedTask;
    }

    public Task<int> Get() => Task.FromResult(_total);
}

/// <summary>The smallest grain there is: what an idle activation costs is measured with it.</summary>
public interface IIdleGrain : IGrainWithStringKey
{
    Task Ping();
}

public sealed class IdleGrain : Grain, IIdleGrain
{
    public Task Ping() => Task.CompletedTask;
}

/// <summary>Counts processed one-way calls; completes <see cref="WaitAsync"/> once the expected number is reached.</summary>
public sealed class CallCounter
{
    private long _count;
    private long _target = long.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Expects <paramref name="calls"/> more calls from now on.</summary>
    public void Expect(long calls)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _target, Interlocked.Read(ref _count) + calls);
    }

    public void Increment()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _done.TrySetResult();
        }
    }

    public Task WaitAsync() => _done.Task;
}
