using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using HvsGrains.Benchmarks.Grains;

namespace HvsGrains.Benchmarks;

/// <summary>
/// Requirement 2 (BDN side): request/response calls. BDN's percentiles are over iterations (each the
/// mean of many calls), not over single calls; per-call percentiles come from the `latency` mode.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[Config(typeof(PercentileConfig))]
public class RequestResponseBenchmarks
{
    public const int Concurrent = 16;
    public const int CallsPerCaller = 2_000;
    public const int SequentialCalls = 1_000;

    private BenchSilo _silo = null!;
    private IBenchGrain _one = null!;
    private IBenchGrain[] _grains = null!;

    [GlobalSetup]
    public void Setup()
    {
        _silo = BenchSilo.StartAsync().GetAwaiter().GetResult();
        _grains = _silo.ActivateBenchGrainsAsync(OneWayBenchmarks.Grains).GetAwaiter().GetResult();
        _one = _grains[0];
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// One caller, one grain, each call awaited before the next. The loop runs inside one async method:
    /// a benchmark returning each call's Task would have BDN block its thread per call and add a wake-up.
    /// </summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SequentialCalls)]
    public async Task Sequential_OneGrain()
    {
        var grain = _one;
        for (var i = 0; i < SequentialCalls; i++)
        {
            await grain.Get();
        }
    }

    /// <summary>16 callers each awaiting calls to the same grain (the grain serializes them).</summary>
    [Benchmark(OperationsPerInvoke = Concurrent * CallsPerCaller)]
    public Task Concurrent16_OneGrain() => RunCallersAsync(_ => _one);

    /// <summary>16 callers each awaiting calls to its own grain.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent * CallsPerCaller)]
    public Task Concurrent16_OwnGrain() => RunCallersAsync(c => _grains[c]);

    private static Task RunCallersAsync(Func<int, IBenchGrain> target)
    {
        var callers = new Task[Concurrent];
        for (var c = 0; c < Concurrent; c++)
        {
            callers[c] = CallAsync(target(c));
        }

        return Task.WhenAll(callers);

        static async Task CallAsync(IBenchGrain grain)
        {
            await Task.Yield();
            for (var i = 0; i < CallsPerCaller; i++)
            {
                await grain.Get();
            }
        }
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() =>
            AddColumn(StatisticColumn.P50, StatisticColumn.P95, StatisticColumn.P100);
    }
}
