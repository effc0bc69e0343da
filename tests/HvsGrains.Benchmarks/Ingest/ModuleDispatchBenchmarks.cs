using System.Reflection;
using BenchmarkDotNet.Attributes;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>
/// What handing readings to their modules in commit order costs, per READING, without Orleans: the module
/// grains are stand-ins that only count calls (through DispatchProxy, so the call itself is dearer than a
/// generated proxy's). <see cref="Dispatch_Batch500"/> is the whole hand-over (the log writer's notice, router,
/// lanes, reference lookup, the call) until every reading of the batch has been handed on. On the writer thread
/// it is one clock read and one queue write per append, not per reading.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ModuleDispatchBenchmarks
{
    private const int Batch = 500;
    private const int Modules = 10_000;
    private readonly CountingModules _counted = CountingModules.Create();
    private ModuleDispatcher _dispatcher = null!;
    private SensorReading[][] _batches = [];
    private long[] _sequences = [];
    private int _next;
    private long _handedOn;

    [GlobalSetup]
    public void Setup()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        _batches = [.. Enumerable.Range(0, Modules / Batch).Select(b => Enumerable.Range(0, Batch)
            .Select(i => new SensorReading($"RackB{(b * Batch) + i:D5}_Module01", "RackB", start, 51.2, 10, 60, 25, 26, 22, 1, 0.5, 0.2)).ToArray())];
        _sequences = [.. Enumerable.Range(1, Batch).Select(i => (long)i)];
        _dispatcher = new ModuleDispatcher(new ModuleReferences(_counted.Factory), Options.Create(new ModuleDispatchOptions()), TimeProvider.System, NullLogger<ModuleDispatcher>.Instance);
    }

    [GlobalCleanup]
    public void Cleanup() => _dispatcher.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Dispatch_Batch500()
    {
        _dispatcher.Committed(NextBatch(), _sequences);
        _handedOn += Batch;
        WaitHandedOn();
    }

    private SensorReading[] NextBatch() => _batches[_next++ % _batches.Length];

    private void WaitHandedOn()
    {
        var spin = new SpinWait();
        while (Interlocked.Read(ref _counted.Calls) < _handedOn)
        {
            spin.SpinOnce();
        }
    }

    /// <summary>A grain factory whose module grains only count their Ingest calls.</summary>
    private sealed class CountingModules
    {
        public long Calls;

        public IGrainFactory Factory { get; private set; } = null!;

        public static CountingModules Create()
        {
            var counted = new CountingModules();
            var module = DispatchProxy.Create<IModuleGrain, ModuleStandIn>();
            ((ModuleStandIn)(object)module).Counted = counted;
            var factory = DispatchProxy.Create<IGrainFactory, FactoryStandIn>();
            ((FactoryStandIn)(object)factory).Module = module;
            counted.Factory = factory;
            return counted;
        }
    }

#pragma warning disable CA1852 // DispatchProxy derives from these at run time.
    private class ModuleStandIn : DispatchProxy
    {
        public CountingModules Counted { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            Interlocked.Increment(ref Counted.Calls);
            return Task.CompletedTask;
        }
    }

    private class FactoryStandIn : DispatchProxy
    {
        public IModuleGrain Module { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Module;
    }
#pragma warning restore CA1852
}
