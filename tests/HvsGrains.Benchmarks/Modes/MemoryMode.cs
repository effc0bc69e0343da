using System.Globalization;
using HvsGrains.Benchmarks.Grains;
using HvsGrains.Runtime;
using HvsGrains.Runtime.Activation;

namespace HvsGrains.Benchmarks.Modes;

/// <summary>
/// Requirement 3: memory held per IDLE activation of a minimal grain. Retained heap (full GC) before and
/// after activating N grains with one call each, everything quiescent, divided by N; the grain object's
/// own size is measured apart and subtracted to give the runtime's overhead.
/// </summary>
internal static class MemoryMode
{
    public static async Task RunAsync(int count)
    {
        Console.WriteLine($"process priority: {Environment.RaisePriority()}");
        await using var silo = await BenchSilo.StartAsync();

        // Keys are made before the baseline: the caller owns them (the GrainId keeps a reference).
        var keys = Enumerable.Range(0, count).Select(i => $"idle-{i}").ToArray();
        await silo.Grains.GetGrain<IIdleGrain>("warm-up").Ping();
        await QuiesceAsync();

        var retainedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        const int batch = 1_000;
        for (var start = 0; start < count; start += batch)
        {
            var calls = new Task[Math.Min(batch, count - start)];
            for (var i = 0; i < calls.Length; i++)
            {
                calls[i] = silo.Grains.GetGrain<IIdleGrain>(keys[start + i]).Ping();
            }

            await Task.WhenAll(calls);
        }

        await QuiesceAsync();
        var allocatedAfter = GC.GetTotalAllocatedBytes(precise: true);
        var retainedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var activations = silo.Runtime.ActivationCount - 1;

        var grainObject = AllocatedPerObject(count, static () => new IdleGrain());
        var retainedPer = (retainedAfter - retainedBefore) / (double)activations;
        var allocatedPer = (allocatedAfter - allocatedBefore) / (double)count;

        Console.WriteLine($"load: {Environment.LoadAverage()}");
        Console.WriteLine(Invariant($"activations: {activations:N0} (asked for {count:N0})"));
        Console.WriteLine(Invariant($"retained heap growth: {retainedAfter - retainedBefore:N0} bytes"));
        Console.WriteLine(Invariant($"retained per idle activation (grain object included): {retainedPer:F1} bytes"));
        Console.WriteLine(Invariant($"minimal grain object alone (IdleGrain): {grainObject:F1} bytes"));
        Console.WriteLine(Invariant($"runtime overhead per idle activation: {retainedPer - grainObject:F1} bytes"));
        Console.WriteLine(Invariant($"allocated per activation incl. its first call (garbage included): {allocatedPer:F1} bytes"));
        Console.WriteLine(Invariant($"(not counted: the key string, owned by the caller here: {2 * keys[count - 1].Length + 22} bytes for \"{keys[count - 1]}\")"));
        Console.WriteLine();
        Console.WriteLine("Breakdown of the per-activation objects (allocated bytes of each alone):");
        var runtime = silo.Runtime;
        var grainInterface = runtime.Registry.Get(typeof(IIdleGrain));
        var id = new GrainId(grainInterface.Name, "x");
        Console.WriteLine(Invariant($"  ActivationData (with its Lock): {AllocatedPerObject(10_000, () => new ActivationData(runtime, grainInterface, id)):F1}"));
        Console.WriteLine(Invariant($"  Lock alone: {AllocatedPerObject(10_000, static () => new Lock()):F1}"));
        Console.WriteLine(Invariant($"  mailbox Queue<Turn>(2): {AllocatedPerObject(10_000, static () => new Queue<object>(2)):F1}"));
        GC.KeepAlive(keys);
    }

    private static async Task QuiesceAsync()
    {
        // Let the activation loops that completed the last calls return to the pool.
        await Task.Delay(500);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double AllocatedPerObject<T>(int count, Func<T> create)
        where T : class
    {
        GC.KeepAlive(create());
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            GC.KeepAlive(create());
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
