using System.Diagnostics;
using System.Globalization;
using HvsGrains.Tests.Shared;
using BenchEnvironment = HvsGrains.Benchmarks.Modes.Environment;

namespace HvsGrains.Benchmarks.Cluster;

/// <summary>
/// Silo processes on one real PostgreSQL (cluster mode), gateways posting round-robin to every front door:
/// readings/s of one silo against three on this machine; time from a SIGKILL of one of three silos until every module
/// answers again; and PostgreSQL stopped for a few seconds (refused, never lost, and back by itself). After each
/// phase every acknowledged reading is checked against the log and the module's applied count.
/// </summary>
internal static class ClusterMode
{
    public static async Task RunAsync(string[] args)
    {
        var o = ClusterArgs.Parse(args);
        Console.WriteLine($"mode: cluster  gateways={o.Gateways} modules={o.Gateways * o.ModulesPerGateway:N0} readings/batch={o.ModulesPerGateway * o.ReadingsPerModule} batches/gateway={o.Batches}");
        Console.WriteLine($"process priority: {BenchEnvironment.RaisePriority()}");
        Console.WriteLine($"load at start: {BenchEnvironment.LoadAverage()}");
        await using var postgres = await PostgresServer.StartNewAsync();
        foreach (var silos in new[] { 1, 3 })
        {
            await ThroughputAsync(postgres, o, silos);
        }

        await KillOneOfThreeAsync(postgres, o);
        await DatabaseOutageAsync(postgres, o);
        Console.WriteLine($"load at end: {BenchEnvironment.LoadAverage()}");
    }

    private static async Task ThroughputAsync(PostgresServer postgres, ClusterArgs o, int count)
    {
        await using var cluster = await ClusterOfProcesses.StartAsync(postgres, $"throughput{count}", count);
        var feed = NewFeed(o, $"T{count}");
        var clock = Stopwatch.StartNew();
        await feed.RunRoundRobinAsync(cluster.IngestClients, o.Batches, TimeSpan.FromMinutes(2));
        var elapsed = clock.Elapsed;
        var cpu = cluster.Silos.Sum(s => s.TotalProcessorTime.TotalSeconds);
        Console.WriteLine(Invariant($"{count} silo(s): {feed.AcknowledgedReadings:N0} readings in {elapsed.TotalSeconds:F1} s = {feed.AcknowledgedReadings / elapsed.TotalSeconds:N0} readings/s; silo CPU {cpu:F1} s = {cpu * 1e6 / feed.AcknowledgedReadings:F1} µs/reading; PostgreSQL CPU not counted"));
        await AccountedForAsync(cluster, feed);
    }

    private static async Task KillOneOfThreeAsync(PostgresServer postgres, ClusterArgs o)
    {
        await using var cluster = await ClusterOfProcesses.StartAsync(postgres, "kill", 3);
        var feed = NewFeed(o, "K");
        var sending = feed.RunRoundRobinAsync(cluster.IngestClients, o.Batches, TimeSpan.FromMinutes(3));
        var total = (long)o.Gateways * o.ModulesPerGateway * o.ReadingsPerModule * o.Batches;
        while (feed.AcknowledgedReadings < total / 3 && !sending.IsCompleted)
        {
            await Task.Delay(10);
        }

        var killed = Stopwatch.StartNew();
        cluster.Silos[2].Kill();
        var survivors = cluster.ReadClients.Take(2).ToList();
        var (answered, slowest) = await EveryModuleAnswersAsync(survivors, feed.Modules.ToList());
        Console.WriteLine(Invariant($"kill -9 of 1 of 3 silos after {feed.AcknowledgedReadings:N0} acknowledged readings, feed running:"));
        Console.WriteLine(Invariant($"  kill → every module answers again:  {slowest.TotalMilliseconds,8:F0} ms ({answered:N0} modules; the ones of the dead silo wait for the cluster to declare it dead)"));
        await sending;
        Console.WriteLine(Invariant($"  feed finished {killed.Elapsed.TotalSeconds:F1} s after the kill; {feed.AcknowledgedReadings:N0} acknowledged, {feed.RedirectedBatches} batches sent again to another front door, {feed.UnansweredBatches} unanswered"));
        await AccountedForAsync(cluster, feed, survivorsOnly: 2);
    }

    private static async Task DatabaseOutageAsync(PostgresServer postgres, ClusterArgs o)
    {
        await using var cluster = await ClusterOfProcesses.StartAsync(postgres, "outage", 3);
        var feed = NewFeed(o, "D");
        var sending = feed.RunRoundRobinAsync(cluster.IngestClients, o.Batches, TimeSpan.FromMinutes(3));
        var total = (long)o.Gateways * o.ModulesPerGateway * o.ReadingsPerModule * o.Batches;
        while (feed.AcknowledgedReadings < total / 3 && !sending.IsCompleted)
        {
            await Task.Delay(10);
        }

        await postgres.StopAsync();
        var stopped = Stopwatch.StartNew();
        var before = feed.AcknowledgedReadings;
        await Task.Delay(TimeSpan.FromSeconds(o.OutageSeconds));
        var duringOutage = feed.AcknowledgedReadings - before;
        await postgres.StartAsync();
        var restarted = stopped.Elapsed;
        var allReady = await Task.WhenAll(cluster.Silos.Select(s => s.WaitReadyAsync()));
        var readyAgain = stopped.Elapsed - restarted;
        await sending;
        Console.WriteLine(Invariant($"PostgreSQL stopped (immediate) for {restarted.TotalSeconds:F1} s with the feed running:"));
        Console.WriteLine(Invariant($"  acknowledged while it was down: {duringOutage:N0} readings (commits in flight when it stopped)"));
        Console.WriteLine(Invariant($"  database back → every silo ready: {readyAgain.TotalMilliseconds:F0} ms ({allReady.Count(r => r)} of {allReady.Length})"));
        Console.WriteLine(Invariant($"  feed finished: {feed.AcknowledgedReadings:N0} acknowledged, {feed.RedirectedBatches} batches sent again, {feed.UnansweredBatches} unanswered"));
        await AccountedForAsync(cluster, feed);
    }

    /// <summary>Asks every module through the survivors until each has answered once; the time of the last first answer.</summary>
    private static async Task<(int Answered, TimeSpan Slowest)> EveryModuleAnswersAsync(IReadOnlyList<HttpClient> read, List<string> modules)
    {
        var clock = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        var answered = 0;
        await Parallel.ForEachAsync(modules, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (module, _) =>
        {
            for (var attempt = 0; clock.Elapsed < TimeSpan.FromMinutes(3); attempt++)
            {
                try
                {
                    using var response = await read[attempt % read.Count].GetAsync($"/api/v1/modules/{module}");
                    if (response.IsSuccessStatusCode)
                    {
                        lock (modules)
                        {
                            answered++;
                            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
                        }

                        return;
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    // a call to a module of the dead silo times out until the cluster declares it dead
                }

                await Task.Delay(50);
            }
        });
        return (answered, slowest);
    }

    /// <summary>Every acknowledged reading in the module's history once, and applied once (its applied count).</summary>
    private static async Task AccountedForAsync(ClusterOfProcesses cluster, GatewayFeed feed, int survivorsOnly = int.MaxValue)
    {
        var read = cluster.ReadClients.Take(survivorsOnly).First();
        var (missing, wrongApplied) = (0, 0);
        foreach (var module in feed.Modules)
        {
            var acknowledged = feed.AcknowledgedOf(module);
            var (logged, applied) = await ModuleCountsAsync(read, module, acknowledged[0].Timestamp);
            missing += acknowledged.Count - logged;
            wrongApplied += applied == acknowledged.Count ? 0 : 1;
        }

        Console.WriteLine(Invariant($"  accounted for: {feed.AcknowledgedReadings:N0} acknowledged; missing from history {missing}; modules whose applied count differs {wrongApplied}"));
    }

    private static async Task<(int Logged, long Applied)> ModuleCountsAsync(HttpClient read, string module, DateTimeOffset from)
    {
        var since = Uri.EscapeDataString(from.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
        using var history = System.Text.Json.JsonDocument.Parse(await read.GetStringAsync($"/api/v1/modules/{module}/readings?from={since}&limit=10000"));
        using var status = System.Text.Json.JsonDocument.Parse(await read.GetStringAsync($"/api/v1/modules/{module}"));
        return (history.RootElement.GetProperty("readings").GetArrayLength(), status.RootElement.GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64());
    }

    private static GatewayFeed NewFeed(ClusterArgs o, string prefix)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new GatewayFeed(o.Gateways, o.ModulesPerGateway, o.ReadingsPerModule, start, prefix);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
