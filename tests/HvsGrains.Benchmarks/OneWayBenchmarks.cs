using BenchmarkDotNet.Attributes;
using HvsGrains.Benchmarks.Grains;
using HvsGrains.Runtime;
using HvsGrains.Runtime.Invocation;

namespace HvsGrains.Benchmarks;

/// <summary>
/// Requirement 1: in-process one-way calls spread round-robin over 10,000 pre-activated grains.
/// One invocation issues <see cref="Calls"/> calls and waits until the grains have processed all of
/// them, so the reported time is per processed call (calls/s = 1e9 / Mean).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class OneWayBenchmarks
{
    public const int Grains = 10_000;
    public const int Calls = 200_000;

    private BenchSilo _silo = null!;
    private IBenchGrain[] _grains = null!;
    private GrainId[] _ids = null!;
    private GrainMethod _report = null!;

    [GlobalSetup]
    public void Setup()
    {
        _silo = BenchSilo.StartAsync().GetAwaiter().GetResult();
        _grains = _silo.ActivateBenchGrainsAsync(Grains).GetAwaiter().GetResult();
        _ids = [.. _grains.Select(g => ((GrainReference)g).GrainId)];
        _report = _silo.Runtime.Registry.GetMethod(nameof(IBenchGrain), nameof(IBenchGrain.Report));
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>References held by the caller (as a grain keeps references to its peers).</summary>
    [Benchmark(OperationsPerInvoke = Calls, Baseline = true)]
    public Task OneWay_HeldReferences()
    {
        var counter = _silo.Counter;
        counter.Expect(Calls);
        var grains = _grains;
        for (var i = 0; i < Calls; i++)
        {
            _ = grains[i % Grains].Report(1);
        }

        return counter.WaitAsync();
    }

    /// <summary>A fresh reference per call (GetGrain + call), as code that looks grains up by key does.</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task OneWay_GetGrainPerCall()
    {
        var counter = _silo.Counter;
        counter.Expect(Calls);
        var factory = _silo.Grains;
        for (var i = 0; i < Calls; i++)
        {
            _ = factory.GetGrain<IBenchGrain>(Keys.Bench[i % Grains]).Report(1);
        }

        return counter.WaitAsync();
    }

    /// <summary>The runtime's call path without the DispatchProxy (what a generated reference would cost).</summary>
    [Benchmark(OperationsPerInvoke = Calls)]
    public Task OneWay_RuntimeInvokeNoProxy()
    {
        var counter = _silo.Counter;
        counter.Expect(Calls);
        var runtime = _silo.Runtime;
        for (var i = 0; i < Calls; i++)
        {
            _ = runtime.Invoke(_ids[i % Grains], _report, [1]);
        }

        return counter.WaitAsync();
    }
}

/// <summary>Grain keys made once, so benchmarks do not measure string formatting.</summary>
internal static class Keys
{
    public static readonly string[] Bench = [.. Enumerable.Range(0, OneWayBenchmarks.Grains).Select(i => $"bench-{i}")];
}
