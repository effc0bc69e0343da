using System.Linq.Expressions;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using HvsGrains.Benchmarks.Grains;
using HvsGrains.Runtime;
using HvsGrains.Runtime.Invocation;

namespace HvsGrains.Benchmarks;

/// <summary>What handing out a reference costs (no call): the share of GetGrain in OneWay_GetGrainPerCall.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class GetGrainBenchmarks
{
    private BenchSilo _silo = null!;
    private Func<object> _newProxy = null!;
    private Func<object, object> _clone = null!;
    private object _prototype = null!;
    private GrainInterface _interface = null!;

    [GlobalSetup]
    public void Setup()
    {
        _silo = BenchSilo.StartAsync().GetAwaiter().GetResult();
        _interface = _silo.Runtime.Registry.Get(typeof(IBenchGrain));

        // Proposed fix for GrainRuntime.GetGrain: make the proxy type once, then `new` it through a
        // compiled constructor call instead of DispatchProxy.Create on every reference.
        // The generated proxy type's constructor takes its MethodInfo table; reuse the probe's table.
        var probe = _silo.Grains.GetGrain<IBenchGrain>("probe");
        var proxyType = probe.GetType();
        var constructor = proxyType.GetConstructor([typeof(MethodInfo[])])
            ?? throw new InvalidOperationException($"{proxyType} has no (MethodInfo[]) constructor.");
        var table = proxyType.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance)
            .Single(f => f.FieldType == typeof(MethodInfo[]))
            .GetValue(probe);
        _prototype = probe;
        _clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!
            .CreateDelegate<Func<object, object>>();
        _newProxy = Expression.Lambda<Func<object>>(Expression.New(constructor, Expression.Constant(table, typeof(MethodInfo[])))).Compile();
    }

    [GlobalCleanup]
    public void Cleanup() => _silo.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public IBenchGrain GetGrain() => _silo.Grains.GetGrain<IBenchGrain>(Keys.Bench[42]);

    [Benchmark]
    public IBenchGrain GetGrain_CompiledProxyConstructor()
    {
        var proxy = (IBenchGrain)_newProxy();
        ((GrainReference)proxy).Bind(_silo.Runtime, _interface, new GrainId(_interface.Name, Keys.Bench[42]));
        return proxy;
    }

    /// <summary>Alternative fix without relying on the generated constructor: clone a prototype proxy per interface.</summary>
    [Benchmark]
    public IBenchGrain GetGrain_ClonePrototype()
    {
        var proxy = (IBenchGrain)_clone(_prototype);
        ((GrainReference)proxy).Bind(_silo.Runtime, _interface, new GrainId(_interface.Name, Keys.Bench[42]));
        return proxy;
    }

    [Benchmark]
    public object Registry_GetByType() => _silo.Runtime.Registry.Get(typeof(IBenchGrain));
}
