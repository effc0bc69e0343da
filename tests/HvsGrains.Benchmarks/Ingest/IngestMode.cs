using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using HvsGrains.Benchmarks.Modes;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Modules;
using HvsGrains.Silo;
using HvsGrains.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using BenchEnvironment = HvsGrains.Benchmarks.Modes.Environment;
using FreeTcpPorts = HvsGrains.Tests.Shared.FreeTcpPorts;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>
/// Sustained HTTP ingest through the durable log (issue target: ≥ 50,000 readings/s, batches of 500 over
/// 10,000 modules; report accept→level lag p50/p99 and bytes per active module grain).
/// <list type="bullet">
/// <item><c>ingest</c>: the silo as a separate process (<c>dotnet HvsGrains.Silo.dll</c>, temp data folder),
/// or an already running one with <c>--url</c>. Readings/s, HTTP latency, errors, server RSS.</item>
/// <item><c>ingest-inproc</c>: the same silo composition (<c>AddHvsSilo</c>/<c>MapHvsSilo</c>) on Kestrel in this
/// process; the client still posts over loopback sockets. Adds the accept→level lag (a <see cref="MeterListener"/>
/// on <c>hvs.module.reading.lag</c>), the log commit wait, and retained managed bytes per module grain.</item>
/// </list>
/// </summary>
internal static class IngestMode
{
    private const string IngestKey = SiloProcess.IngestKey;

    public static async Task RunAsync(string[] args)
    {
        var o = IngestArgs.Parse(args);
        var inProcess = args[0] == "ingest-inproc";
        Console.WriteLine($"mode: {args[0]}  modules={o.Modules:N0} batch={o.Batch} connections={o.Connections} warmup={o.WarmupSeconds}s seconds={o.Seconds}s");
        Console.WriteLine($"process priority: {BenchEnvironment.RaisePriority()}");
        Console.WriteLine($"load at start: {BenchEnvironment.LoadAverage()}");

        // Sensor time runs faster than wall time under load (one round = 1 s of sensor time per module), so
        // start far enough back that the last round stays behind the front door's 5-minute future limit even
        // at 200,000 readings/s.
        var maxRounds = (o.WarmupSeconds + o.Seconds + 30) * 200_000L / o.Modules;
        var start = DateTimeOffset.UtcNow.AddSeconds(-maxRounds);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var generation = Stopwatch.StartNew();
        var workload = new IngestWorkload(o.Modules, o.Batch, start);
        Console.WriteLine(Invariant($"workload: {workload.Slices} batches per round, {IngestWorkload.Variants} noise variants, avg batch {workload.AverageBatchBytes / 1024:F1} KiB, templates {workload.TemplateBytes / 1048576.0:F1} MiB, generated in {generation.Elapsed.TotalSeconds:F1} s, first timestamp {start:O}"));

        if (inProcess)
        {
            await RunInProcessAsync(o, workload);
        }
        else
        {
            await RunSeparateProcessAsync(o, workload);
        }
    }

    private static async Task RunSeparateProcessAsync(IngestArgs o, IngestWorkload workload)
    {
        if (o.Url is { } url)
        {
            using var remote = new IngestLoadClient(workload, new Uri(url), o.ApiKey ?? IngestKey, o.Connections);
            await DriveAsync(o, workload, remote, server: null, lag: null);
            return;
        }

        if (o.ModelLife.Count == 0)
        {
            await RunSiloAsync(o, workload, modelLife: null);
            return;
        }

        // The cost of the model's life in the field (drift statistics, anomaly scores, forecasts): the same workload on a
        // fresh silo with them off and on, alternated so a drifting machine load does not favour one side.
        var results = new List<(bool On, double PerSecond)>();
        foreach (var on in o.ModelLife)
        {
            Console.WriteLine();
            Console.WriteLine($"=== drift, anomaly scores and forecasts {(on ? "ON" : "OFF")} ===");
            results.Add((on, await RunSiloAsync(o, workload, on)));
        }

        var off = results.Where(r => !r.On).Select(r => r.PerSecond).DefaultIfEmpty(double.NaN).Average();
        var with = results.Where(r => r.On).Select(r => r.PerSecond).DefaultIfEmpty(double.NaN).Average();
        Console.WriteLine();
        Console.WriteLine(Invariant($"MODEL LIFE COST: off {off:N0} readings/s, on {with:N0} readings/s (means of {string.Join(", ", results.Select(r => $"{(r.On ? "on" : "off")} {r.PerSecond:N0}"))}): {(1 - (with / off)) * 100:F1} % of the throughput"));
    }

    private static async Task<double> RunSiloAsync(IngestArgs o, IngestWorkload workload, bool? modelLife)
    {
        var settings = new Dictionary<string, string> { ["Hvs:Model:Enabled"] = o.RulesOnly ? "false" : "true" };
        if (modelLife is { } on)
        {
            foreach (var feature in new[] { "Drift", "Anomaly", "Forecast" })
            {
                settings[$"Hvs:{feature}:Enabled"] = on ? "true" : "false";
            }
        }

        await using var silo = await SiloProcess.StartAsync(o.SiloDll, settings, o.LogLevel);
        Console.WriteLine(Invariant($"silo ready; RSS {silo.Rss / 1048576.0:F1} MiB"));
        using var client = new IngestLoadClient(workload, silo.BaseAddress, IngestKey, o.Connections);
        var perSecond = await DriveAsync(o, workload, client, silo, lag: null);
        Console.WriteLine(Invariant($"silo log lines written: {silo.LinesWritten:N0}"));
        return perSecond;
    }

    private static async Task RunInProcessAsync(IngestArgs o, IngestWorkload workload)
    {
        var data = Path.Combine(Path.GetTempPath(), "hvs-ingest-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        using var lag = new LagListener();
        var ports = FreeTcpPorts.Next(3);
        var port = ports[0];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = data, EnvironmentName = "Production", Args = SiloCommandLine.Arguments([]) });
        builder.Configuration["Hvs:ApiKeys:Ingest"] = IngestKey;
        builder.Configuration["Hvs:ApiKeys:Read"] = "bench-read-key-0123456789";
        builder.Configuration["Hvs:ApiKeys:Admin"] = "bench-admin-key-0123456789";
        builder.Configuration["Hvs:DataDirectory"] = data;
        builder.Configuration["Hvs:Orleans:SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Hvs:Orleans:GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture);
        builder.Configuration["Hvs:Model:Enabled"] = o.RulesOnly ? "false" : "true";
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(o.LogLevel ?? "Warning"));
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddHvsSilo();
        var app = builder.Build();
        app.MapHvsSilo();
        await app.StartAsync();
        Console.WriteLine($"silo in-process on http://127.0.0.1:{port} (data {data}, log level {o.LogLevel ?? "Warning"}, {(o.RulesOnly ? "rules only" : "model scoring on")})");
        try
        {
            using var client = new IngestLoadClient(workload, new Uri($"http://127.0.0.1:{port}"), IngestKey, o.Connections);
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            await DriveAsync(o, workload, client, server: null, lag, grains);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            TryDelete(data);
        }
    }

    /// <summary>Warm-up pass (activates every module), memory, warm-up load, measured load, report; the accepted readings/s.</summary>
    private static async Task<double> DriveAsync(IngestArgs o, IngestWorkload workload, IngestLoadClient client, SiloProcess? server, LagListener? lag, IGrainFactory? grains = null)
    {
        // 0. Baseline: JIT the HTTP path, the log and the grain types with 8 modules that are not part of the run.
        if (lag is not null && grains is not null)
        {
            await WarmSideModulesAsync(client);
            await QuiesceAsync(lag, 8, TimeSpan.FromSeconds(30));
        }

        var activationsBefore = grains is null ? 0 : await ActivationCountAsync(grains);
        var retainedBefore = lag is null ? 0 : GC.GetTotalMemory(forceFullCollection: true);

        // 1. First pass: round 0, one reading per module, activates all of them. In-process it goes in two
        // halves, so the second half's growth gives the cost of one more module without the one-time costs.
        var pass = Stopwatch.StartNew();
        client.Stats = new IngestPhaseStats();
        var half = workload.Slices / 2;
        var retainedAtHalf = 0L;
        if (lag is not null && grains is not null && half > 0)
        {
            await client.SendRangeAsync(half);
            await QuiesceAsync(lag, 8 + (half * workload.Batch), TimeSpan.FromSeconds(120));
            retainedAtHalf = GC.GetTotalMemory(forceFullCollection: true);
        }

        await client.SendRangeAsync(workload.Slices);
        var firstPass = client.Stats;
        Console.WriteLine(Invariant($"first pass (activation): {firstPass.Accepted:N0} accepted in {pass.Elapsed.TotalSeconds:F2} s, errors {firstPass.Errors}{(firstPass.FirstError is null ? "" : $" first: {firstPass.FirstError}")}"));
        if (lag is not null && grains is not null)
        {
            await QuiesceAsync(lag, 8 + workload.Modules, TimeSpan.FromSeconds(120));
            Console.WriteLine(Invariant($"all first readings applied after {pass.Elapsed.TotalSeconds:F2} s; activation pass: lag {lag.Lag.Summary()}; log commit {lag.Commit.Summary()}"));
            await ReportMemoryAsync("after 1 reading per module", workload.Modules, retainedBefore, activationsBefore, grains);
            if (half > 0)
            {
                var marginal = (GC.GetTotalMemory(forceFullCollection: true) - retainedAtHalf) / (double)(workload.Modules - (half * workload.Batch));
                Console.WriteLine(Invariant($"  BYTES PER ADDITIONAL MODULE GRAIN (growth over the second half of the modules; one-time pools and caches excluded): {marginal:N0}"));
            }
        }
        else if (server is not null)
        {
            await Task.Delay(2000);
            Console.WriteLine(Invariant($"silo RSS after first pass: {server.Rss / 1048576.0:F1} MiB"));
        }

        // 2. Warm-up load, then the measured window; the listener records lag only in the window.
        client.Stats = new IngestPhaseStats();
        using var stop = new CancellationTokenSource();
        var load = client.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
        var warm = client.Stats;
        var measured = new IngestPhaseStats();
        lag?.StartWindow();
        var issuedAtStart = client.Issued;
        var loadAtStart = BenchEnvironment.LoadAverage();
        var window = Stopwatch.StartNew();
        client.Stats = measured;
        var cpuStart = server is null ? Process.GetCurrentProcess().TotalProcessorTime : server.TotalProcessorTime;
        var clientCpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        var allocatedStart = GC.GetTotalAllocatedBytes();
        var gcStart = GC.CollectionCount(0);
        await Task.Delay(TimeSpan.FromSeconds(o.Seconds));
        var allocated = GC.GetTotalAllocatedBytes() - allocatedStart;
        var collections = GC.CollectionCount(0) - gcStart;
        client.Stats = new IngestPhaseStats(); // requests finishing after the window are not counted
        var elapsed = window.Elapsed.TotalSeconds;
        var cpuEnd = server is null ? Process.GetCurrentProcess().TotalProcessorTime : server.TotalProcessorTime;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpuStart;
        var loadAtEnd = BenchEnvironment.LoadAverage();
        stop.Cancel();
        await load;
        lag?.EndWindow();
        var issued = client.Issued - issuedAtStart;

        Console.WriteLine(Invariant($"warm-up: {warm.Accepted:N0} accepted in {o.WarmupSeconds} s ({warm.Accepted / (double)o.WarmupSeconds:N0}/s), errors {warm.Errors}"));
        Console.WriteLine();
        Console.WriteLine(Invariant($"measured window: {elapsed:F1} s, load {loadAtStart} -> {loadAtEnd}"));
        Console.WriteLine(Invariant($"  batches completed: {measured.Batches:N0} (issued {issued:N0}), readings accepted: {measured.Accepted:N0}, duplicates: {measured.Duplicates:N0}, errors: {measured.Errors}{(measured.FirstError is null ? "" : $" (first: {measured.FirstError})")}"));
        Console.WriteLine(Invariant($"  ACCEPTED READINGS/S: {measured.Accepted / elapsed:N0}   ({measured.Batches / elapsed:N1} batches/s)"));
        Console.WriteLine(Invariant($"  HTTP latency per batch: {measured.HttpLatency.Summary()}"));
        var cpu = cpuEnd - cpuStart;
        Console.WriteLine(Invariant($"  {(server is null ? "this process" : "silo process")} CPU: {cpu.TotalSeconds / elapsed * 100:F0} % of one core (2 cores = 200 %), {cpu.TotalMicroseconds / Math.Max(1, measured.Accepted):F1} µs per accepted reading"));
        if (server is not null)
        {
            Console.WriteLine(Invariant($"  load client process CPU: {clientCpu.TotalSeconds / elapsed * 100:F0} % of one core"));
        }
        else
        {
            Console.WriteLine(Invariant($"  managed allocation (client included): {allocated / (double)Math.Max(1, measured.Accepted):N0} B per accepted reading, {collections} gen0+ collections"));
        }
        if (lag is not null)
        {
            Console.WriteLine(Invariant($"  accept->level lag (hvs.module.reading.lag, readings applied in the window): {lag.Lag.Summary()}"));
            Console.WriteLine(Invariant($"  log commit wait per batch (hvs.readings_log.commit.duration): {lag.Commit.Summary()}"));
            Console.WriteLine(Invariant($"  scoring wait per reading (hvs.scoring.wait): {lag.ScoringWait.Summary()}; {lag.RowsPerScoringRun:F1} readings per model run"));
            Console.WriteLine(Invariant($"  readings applied in the window: {lag.Lag.Count:N0} ({lag.Lag.Count / elapsed:N0}/s)"));
        }
        else
        {
            Console.WriteLine("  accept->level lag: not read in this mode (the silo's /metrics has it as a histogram); use ingest-inproc");
        }

        if (lag is not null && grains is not null)
        {
            await QuiesceAsync(lag, -1, TimeSpan.FromSeconds(60));
            // The readings log indexes its backlog once idle (slices of 50,000 a second): that backlog is the
            // log's, not the grains', so let it drain before counting bytes per grain.
            await Task.Delay(TimeSpan.FromSeconds(10));
            var rounds = client.Issued / workload.Slices;
            await ReportMemoryAsync(Invariant($"after the run (~{rounds:N0} readings per module)"), workload.Modules, retainedBefore, activationsBefore, grains);
        }
        else if (server is not null)
        {
            Console.WriteLine(Invariant($"silo RSS at the end: {server.Rss / 1048576.0:F1} MiB"));
        }

        return measured.Accepted / elapsed;
    }

    /// <summary>Eight modules of a rack outside the workload, posted the same way (same client, same path).</summary>
    private static async Task WarmSideModulesAsync(IngestLoadClient client)
    {
        var stats = await client.PostRawAsync(SideBatch());
        Console.WriteLine(Invariant($"side warm-up batch: accepted {stats.Accepted}, errors {stats.Errors}{(stats.FirstError is null ? "" : $" ({stats.FirstError})")}"));
    }

    private static byte[] SideBatch()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
        var readings = Enumerable.Range(1, 8).Select(m =>
            $"{{\"moduleId\":\"Warm0001_Module{m:D2}\",\"rackId\":\"Warm0001\",\"timestamp\":\"{now}\",\"voltageV\":51.2,\"currentA\":1.5,\"socPercent\":60," +
            "\"avgSurfaceTempC\":25.1,\"maxSurfaceTempC\":25.3,\"ambientTempC\":22.4,\"coPpm\":1.0,\"h2Ppm\":0.3,\"vocPpm\":1.5}");
        return System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", readings) + "]");
    }

    private static Task<int> ActivationCountAsync(IGrainFactory grains) => grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    private static async Task ReportMemoryAsync(string when, int modules, long retainedBefore, int activationsBefore, IGrainFactory grains)
    {
        var retained = GC.GetTotalMemory(forceFullCollection: true);
        var activations = await ActivationCountAsync(grains) - activationsBefore;
        var perModule = (retained - retainedBefore) / (double)modules;
        Console.WriteLine(Invariant($"memory {when}: retained managed heap +{(retained - retainedBefore) / 1048576.0:F1} MiB for {activations:N0} new activations ({modules:N0} modules + racks)"));
        Console.WriteLine(Invariant($"  BYTES PER ACTIVE MODULE GRAIN (its rack share, directory entry and log/state buffers included): {perModule:N0}"));
        Console.WriteLine(Invariant($"  ModuleFeatureState.ApproximateBytes (windows alone, for reference): {ModuleFeatureState.ApproximateBytes:N0}"));
        Console.WriteLine(Invariant($"  process working set {System.Environment.WorkingSet / 1048576.0:F1} MiB, GC committed {GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0:F1} MiB"));
    }

    /// <summary>Waits until <paramref name="applied"/> readings were applied (or, with -1, until the lag count stops moving), then collects.</summary>
    private static async Task QuiesceAsync(LagListener lag, long applied, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1L;
        while (deadline.Elapsed < timeout)
        {
            var now = lag.TotalApplied;
            if (applied >= 0 ? now >= applied : now == last)
            {
                break;
            }

            last = now;
            await Task.Delay(applied >= 0 ? 50 : 1000);
        }

        await Task.Delay(1000); // timers, rack reports, the log writer going idle
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Console.WriteLine($"could not delete {folder}: {exception.Message}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records the silo's lag and commit histograms from its meters, without allocating per sample.</summary>
    private sealed class LagListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _applied;
        private long _scoredRows;
        private long _scoringRuns;
        private volatile bool _recording = true;

        public LagListener()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if ((instrument.Meter.Name == ModuleMetrics.MeterName && instrument.Name == "hvs.module.reading.lag")
                    || (instrument.Meter.Name == SiloMetrics.MeterName && instrument.Name == "hvs.readings_log.commit.duration")
                    || (instrument.Meter.Name == ScoringMetrics.MeterName && instrument.Name is "hvs.scoring.wait" or "hvs.scoring.batch.rows"))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            // The instruments measure seconds; the summaries are in milliseconds.
            _listener.SetMeasurementEventCallback<double>((instrument, seconds, _, _) =>
            {
                var value = seconds * 1000;
                if (instrument.Name == "hvs.module.reading.lag")
                {
                    Interlocked.Increment(ref _applied);
                    if (_recording)
                    {
                        Lag.Record(value);
                    }
                }
                else if (_recording && instrument.Name == "hvs.scoring.wait")
                {
                    ScoringWait.Record(value);
                }
                else if (_recording)
                {
                    Commit.Record(value);
                }
            });
            _listener.SetMeasurementEventCallback<int>((_, rows, _, _) =>
            {
                if (_recording)
                {
                    Interlocked.Increment(ref _scoringRuns);
                    Interlocked.Add(ref _scoredRows, rows);
                }
            });
            _listener.Start();
        }

        /// <summary>Lag of the readings applied since the start (activation pass) or since <see cref="StartWindow"/>.</summary>
        public LatencyHistogram Lag { get; private set; } = new();

        public LatencyHistogram Commit { get; private set; } = new();

        public LatencyHistogram ScoringWait { get; private set; } = new();

        /// <summary>Mean rows per model run in the window.</summary>
        public double RowsPerScoringRun => Interlocked.Read(ref _scoredRows) / (double)Math.Max(1, Interlocked.Read(ref _scoringRuns));

        public long TotalApplied => Interlocked.Read(ref _applied);

        public void StartWindow()
        {
            Lag = new LatencyHistogram();
            Commit = new LatencyHistogram();
            ScoringWait = new LatencyHistogram();
            Interlocked.Exchange(ref _scoredRows, 0);
            Interlocked.Exchange(ref _scoringRuns, 0);
        }

        public void EndWindow() => _recording = false;

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>Command line of the ingest modes.</summary>
internal sealed record IngestArgs(string? Url, string? ApiKey, int Modules, int Batch, int Seconds, int WarmupSeconds, int Connections, string? LogLevel, string? SiloDll, bool RulesOnly, IReadOnlyList<bool> ModelLife)
{
    public static IngestArgs Parse(string[] args)
    {
        string? Get(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        return new IngestArgs(
            Get("--url"),
            Get("--api-key"),
            Int("--modules", 10_000),
            Int("--batch", 500),
            Int("--seconds", 60),
            Int("--warmup", 10),
            Int("--connections", 4),
            Get("--log-level"),
            Get("--silo-dll"),
            args.Contains("--rules-only"),
            // --model-life off,on,off,on: one fresh silo per entry, drift/anomaly/forecast switched off or on.
            Get("--model-life") is { } runs ? [.. runs.Split(',').Select(r => r.Trim() == "on")] : []);
    }
}
