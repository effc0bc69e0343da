using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests.Grains;

public sealed class TickerGrain(ActivationLog log) : Grain, ITickerGrain
{
    private int _inside;
    private int _maxInside;

    public Task Start(TimeSpan period)
    {
        RegisterGrainTimer(OnTickAsync, period, period);
        return Task.CompletedTask;
    }

    public Task<int> GetTicks() => Task.FromResult(ActivationLog.Count(log.Ticks, PrimaryKey));

    public Task<int> GetMaxConcurrency() => Task.FromResult(_maxInside);

    public Task Busy() => InsideAsync();

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        await InsideAsync();
        ActivationLog.Bump(log.Ticks, PrimaryKey);
    }

    private async Task InsideAsync()
    {
        _maxInside = Math.Max(_maxInside, Interlocked.Increment(ref _inside));
        await Task.Delay(1);
        Interlocked.Decrement(ref _inside);
    }
}
