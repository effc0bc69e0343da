using System.Diagnostics;
using System.Globalization;
using HvsGrains.Benchmarks.Grains;

namespace HvsGrains.Benchmarks.Modes;

/// <summary>
/// Requirement 2: per-call latency of request/response calls to ONE grain, every call timed on its own
/// with Stopwatch.GetTimestamp (BDN's percentiles are over iterations, not calls).
/// </summary>
internal static class LatencyMode
{
    public static async Task RunAsync(int calls, int concurrency)
    {
        Console.WriteLine($"process priority: {Environment.RaisePriority()}");
        await using var silo = await BenchSilo.StartAsync();
        var grain = silo.Grains.GetGrain<IBenchGrain>("latency");
        await grain.Get();

        Console.WriteLine($"load before: {Environment.LoadAverage()}");
        Console.WriteLine($"{calls:N0} request/response calls (Task<int> Get()) to one grain, each timed alone; default runtime options.");
        Console.WriteLine();
        Console.WriteLine("| run | calls | mean µs | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | calls/s |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");

        // Warm-up: JIT tiers, thread pool threads.
        await SequentialAsync(grain, calls / 4);
        Report("sequential, 1 caller", await SequentialAsync(grain, calls));
        var untimed = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            await grain.Get();
        }

        var untimedMicros = Stopwatch.GetElapsedTime(untimed).TotalMicroseconds / calls;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| sequential, 1 caller, untimed loop (mean only) | {calls:N0} | {untimedMicros:F2} | | | | | | {1_000_000 / untimedMicros:N0} |"));

        await ConcurrentAsync(grain, calls / 4, concurrency);
        var concurrent = await ConcurrentAsync(grain, calls, concurrency);
        Report($"concurrent, {concurrency} callers", concurrent.Latencies, concurrent.Elapsed);

        Console.WriteLine();
        Console.WriteLine($"load after: {Environment.LoadAverage()}");
    }

    private static async Task<(long[] Latencies, TimeSpan Elapsed)> SequentialAsync(IBenchGrain grain, int calls)
    {
        var latencies = new long[calls];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            var before = Stopwatch.GetTimestamp();
            await grain.Get();
            latencies[i] = Stopwatch.GetTimestamp() - before;
        }

        return (latencies, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(long[] Latencies, TimeSpan Elapsed)> ConcurrentAsync(IBenchGrain grain, int calls, int concurrency)
    {
        var perCaller = calls / concurrency;
        var started = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            await Task.Yield();
            var latencies = new long[perCaller];
            for (var i = 0; i < perCaller; i++)
            {
                var before = Stopwatch.GetTimestamp();
                await grain.Get();
                latencies[i] = Stopwatch.GetTimestamp() - before;
            }

            return latencies;
        }).ToList();
        var all = await Task.WhenAll(callers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return ([.. all.SelectMany(l => l)], elapsed);
    }

    private static void Report(string name, (long[] Latencies, TimeSpan Elapsed) run) => Report(name, run.Latencies, run.Elapsed);

    private static void Report(string name, long[] latencies, TimeSpan elapsed)
    {
        Array.Sort(latencies);
        double Micros(double quantile)
        {
            var index = (int)Math.Min(latencies.Length - 1, Math.Ceiling(quantile * latencies.Length) - 1);
            return latencies[Math.Max(0, index)] * 1_000_000.0 / Stopwatch.Frequency;
        }

        var mean = latencies.Average() * 1_000_000.0 / Stopwatch.Frequency;
        var throughput = latencies.Length / elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {latencies.Length:N0} | {mean:F2} | {Micros(0.50):F2} | {Micros(0.90):F2} | {Micros(0.99):F2} | {Micros(0.999):F2} | {Micros(1.0):F1} | {throughput:N0} |"));
    }
}

internal static class Environment
{
    /// <summary>
    /// Raises this process to High priority, as BenchmarkDotNet does for its benchmark processes, so the
    /// console modes and the BDN tables are measured alike on a machine shared with compiles.
    /// </summary>
    public static string RaisePriority()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            process.PriorityClass = ProcessPriorityClass.High;
            return process.PriorityClass.ToString();
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or PlatformNotSupportedException or InvalidOperationException)
        {
            return $"unchanged ({exception.Message})";
        }
    }

    /// <summary>The 1/5/15-minute load averages (Linux), so results say how busy the machine was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
