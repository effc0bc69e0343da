using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Tests.Shared;
using BenchEnvironment = HvsGrains.Benchmarks.Modes.Environment;

namespace HvsGrains.Benchmarks.Recovery;

/// <summary>
/// Recovery after a crash: gateways send until <c>--readings</c> are acknowledged, the silo process is killed
/// (SIGKILL), and a new one starts on the same data folder. Measures, from the restart, the time until
/// <c>/health/ready</c> answers 200 and until every module answers with all of its acknowledged readings
/// applied (latest reading and applied count), and how many modules were right at their first answer.
/// </summary>
internal static class RecoveryMode
{
    public static async Task RunAsync(string[] args)
    {
        var o = RecoveryArgs.Parse(args);
        Console.WriteLine($"mode: recovery  gateways={o.Gateways} modules={o.Gateways * o.ModulesPerGateway:N0} readings/module/batch={o.ReadingsPerModule} readings={o.Readings:N0} pollers={o.Pollers}{(o.RulesOnly ? " rules-only" : "")}");
        Console.WriteLine($"process priority: {BenchEnvironment.RaisePriority()}");
        Console.WriteLine($"load at start: {BenchEnvironment.LoadAverage()}");
        var data = Path.Combine(Path.GetTempPath(), "hvs-recovery-bench", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string> { ["Hvs:Model:Enabled"] = o.RulesOnly ? "false" : "true" };
        var start = DateTimeOffset.UtcNow.AddDays(-2);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var feed = new GatewayFeed(o.Gateways, o.ModulesPerGateway, o.ReadingsPerModule, start, "Recovery");
        try
        {
            using (var first = SiloProcess.Start(data, settings))
            {
                if (!await first.WaitReadyAsync())
                {
                    throw new InvalidOperationException("the silo did not become ready: " + first.RecentOutput);
                }

                using var ingest = first.Client(SiloProcess.IngestKey);
                var batchesPerGateway = (int)Math.Ceiling(o.Readings * 2.0 / (o.Gateways * o.ModulesPerGateway * o.ReadingsPerModule)) + 1;
                var sending = feed.RunAsync(ingest, batchesPerGateway);
                var fed = Stopwatch.StartNew();
                while (feed.AcknowledgedReadings < o.Readings && !sending.IsCompleted)
                {
                    await Task.Delay(10);
                }

                first.Kill();
                await sending;
                Console.WriteLine(Invariant($"killed (SIGKILL) after {feed.AcknowledgedReadings:N0} acknowledged readings in {fed.Elapsed.TotalSeconds:F1} s; {feed.UnansweredBatches} batches unanswered"));
            }

            var restart = Stopwatch.StartNew();
            using var second = SiloProcess.Start(data, settings);
            if (!await second.WaitReadyAsync())
            {
                throw new InvalidOperationException("the restarted silo did not become ready: " + second.RecentOutput);
            }

            var ready = restart.Elapsed;
            using var read = second.Client(SiloProcess.ReadKey);
            var (applied, rightAtFirst, slowest) = await AllAppliedAsync(read, feed, restart, o);
            var all = restart.Elapsed;
            Console.WriteLine(second.RecentOutput.Split(System.Environment.NewLine).FirstOrDefault(l => l.Contains("recovered", StringComparison.Ordinal)) is { } line
                ? "silo: " + line.Trim()
                : "silo: (no recovery line in its output)");
            Console.WriteLine(Invariant($"restart → ready:                     {ready.TotalMilliseconds,8:F0} ms"));
            Console.WriteLine(Invariant($"restart → every module applied all:  {all.TotalMilliseconds,8:F0} ms  ({applied:N0} of {feed.Modules.Count():N0} modules; slowest {slowest.TotalMilliseconds:F0} ms after restart)"));
            Console.WriteLine(Invariant($"right at their first answer:         {rightAtFirst:N0} of {feed.Modules.Count():N0} modules"));
            Console.WriteLine($"load at end: {BenchEnvironment.LoadAverage()}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>Polls every module until its state holds all its acknowledged readings (or the time limit ends).</summary>
    private static async Task<(int Applied, int RightAtFirst, TimeSpan Slowest)> AllAppliedAsync(HttpClient read, GatewayFeed feed, Stopwatch restart, RecoveryArgs o)
    {
        var waiting = new ConcurrentQueue<(string Module, int Count, DateTimeOffset Newest, bool First)>(
            feed.Modules.Select(m => feed.AcknowledgedOf(m)).Where(a => a.Count > 0).Select(a => (a[0].ModuleId, a.Count, a[^1].Timestamp, true)));
        int applied = 0, rightAtFirst = 0;
        long slowestTicks = 0;
        var deadline = TimeSpan.FromSeconds(o.TimeoutSeconds);
        await Task.WhenAll(Enumerable.Range(0, o.Pollers).Select(_ => Task.Run(async () =>
        {
            while (waiting.TryDequeue(out var module) && restart.Elapsed < deadline)
            {
                using var response = await read.GetAsync($"/api/v1/modules/{module.Module}");
                var done = false;
                if (response.IsSuccessStatusCode)
                {
                    var status = await response.Content.ReadFromJsonAsync<JsonElement>();
                    var quality = status.GetProperty("dataQuality");
                    done = status.GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset() >= module.Newest
                        && quality.GetProperty("appliedReadings").GetInt64() >= module.Count;
                }

                if (done)
                {
                    Interlocked.Increment(ref applied);
                    if (module.First)
                    {
                        Interlocked.Increment(ref rightAtFirst);
                    }
                    InterlockedMax(ref slowestTicks, restart.Elapsed.Ticks);
                }
                else
                {
                    waiting.Enqueue(module with { First = false });
                    await Task.Delay(10);
                }
            }
        })));
        return (applied, rightAtFirst, TimeSpan.FromTicks(slowestTicks));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal sealed record RecoveryArgs(int Gateways, int ModulesPerGateway, int ReadingsPerModule, long Readings, int Pollers, int TimeoutSeconds, bool RulesOnly)
{
    public static RecoveryArgs Parse(string[] args)
    {
        string? Get(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new RecoveryArgs(
            Int("--gateways", 4),
            Int("--modules-per-gateway", 250),
            Int("--readings-per-module", 2),
            Int("--readings", 200_000),
            Int("--pollers", 8),
            Int("--timeout", 300),
            args.Contains("--rules-only"));
    }
}
