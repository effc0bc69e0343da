using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using HvsGrains.Benchmarks.Ingest;
using HvsGrains.Benchmarks.Modes;
using BenchEnvironment = HvsGrains.Benchmarks.Modes.Environment;

namespace HvsGrains.Benchmarks.Overload;

/// <summary>
/// Issue 12, "overload is shed" and "memory after a burst", against the silo as a process of its own:
/// <list type="number">
/// <item>more ingest senders than the silo's limit (batches of 500, resent at once when shed): readings/s at the
/// shedding point, shed answers, and meanwhile p50/p99 of /health/live, /health/ready, /api/v1/warehouse and
/// /api/v1/alarms, each asked one request at a time on a connection of its own;</item>
/// <item>bursts of the largest allowed bodies (<c>Hvs:Ingest:MaxBodyBytes</c>, <c>MaxBatchReadings</c> readings)
/// from as many senders as the silo's limit: peak RSS, then RSS while the silo stands idle (settled).</item>
/// </list>
/// </summary>
internal static class OverloadMode
{
    public static async Task RunAsync(string[] args)
    {
        var o = OverloadArgs.Parse(args);
        Console.WriteLine(Invariant($"mode: overload  modules={o.Modules:N0} batch={o.Batch} connections={o.Connections}{(o.Polite ? " (waiting Retry-After when shed)" : " (resending at once when shed)")} warmup={o.WarmupSeconds}s seconds={o.Seconds}s probe every {o.ProbeIntervalMs} ms"));
        Console.WriteLine(Invariant($"bursts: {o.Bursts} × {o.BurstRequests} bodies of {o.BodyBytes:N0} bytes ({o.BodyReadings:N0} readings) from {o.BurstSenders} senders, then {o.SettleSeconds} s idle"));
        Console.WriteLine($"silo settings: {(o.Settings.Count == 0 ? "as shipped" : string.Join(", ", o.Settings.Select(s => $"{s.Key}={s.Value}")))}");
        Console.WriteLine($"process priority: {BenchEnvironment.RaisePriority()}");
        Console.WriteLine($"load at start: {BenchEnvironment.LoadAverage()}");

        var body = new LargeBodyBatch(LargeBodyBatch.ModuleIds(Math.Min(o.Modules, o.BodyReadings)), o.BodyReadings, o.BodyBytes);
        // Sensor time runs ahead of wall time under load; start far enough back that the last reading stays behind
        // the front door's 5-minute future limit even at 200,000 readings/s.
        var rounds = ((o.WarmupSeconds + o.Seconds + 30) * 200_000L / o.Modules) + ((long)o.Bursts * o.BurstRequests * body.SecondsPerRequest) + 60;
        var start = DateTimeOffset.UtcNow.AddSeconds(-rounds);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var workload = new IngestWorkload(o.Modules, o.Batch, start);

        await using var silo = await SiloProcess.StartAsync(o.SiloDll, o.Settings);
        Console.WriteLine(Invariant($"silo ready at {silo.BaseAddress}; RSS {Mib(silo.Rss)} MiB"));
        using var client = new IngestLoadClient(workload, silo.BaseAddress, SiloProcess.IngestKey, o.Connections) { WaitsRetryAfter = o.Polite };
        await SaturateAsync(o, workload, client, silo);
        await BurstAsync(o, body, workload.TimestampOf((client.Issued / workload.Slices) + 2), silo);
        Console.WriteLine($"load at end: {BenchEnvironment.LoadAverage()}");
    }

    /// <summary>The silo's ingest limit (its default unless the run sets it).</summary>
    private static int AdmittedAtOnce(OverloadArgs o) =>
        o.Settings.TryGetValue("Hvs:Ingest:MaxConcurrentRequests", out var limit) ? int.Parse(limit, CultureInfo.InvariantCulture) : new HvsGrains.Silo.Ingest.IngestOptions().MaxConcurrentRequests;

    private static async Task SaturateAsync(OverloadArgs o, IngestWorkload workload, IngestLoadClient client, SiloProcess silo)
    {
        var probes = new[] { "/health/live", "/health/ready", "/api/v1/warehouse", "/api/v1/alarms" }
            .Select(path => new ReadProbe(ProbeClient(silo.BaseAddress), path, TimeSpan.FromMilliseconds(o.ProbeIntervalMs)))
            .ToArray();
        using var stopProbes = new CancellationTokenSource();
        var probing = Task.WhenAll(probes.Select(p => p.RunAsync(stopProbes.Token)));

        // Idle: what the probes see before any load.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, Math.Max(1, o.WarmupSeconds))));
        Console.WriteLine("probes, silo idle:");
        foreach (var probe in probes)
        {
            Console.WriteLine($"  {probe.Summary()}");
            probe.Reset();
        }

        // First pass activates every module, from as many senders as the silo admits at once (so none is shed and
        // the saturated phase measures ingest, not activations); the saturating client goes on from there.
        using (var activator = new IngestLoadClient(workload, silo.BaseAddress, SiloProcess.IngestKey, AdmittedAtOnce(o)))
        {
            var pass = Stopwatch.StartNew();
            await activator.SendRangeAsync(workload.Slices);
            Console.WriteLine(Invariant($"first pass: {activator.Stats.Accepted:N0} accepted, {activator.Stats.Shed:N0} shed in {pass.Elapsed.TotalSeconds:F1} s"));
        }

        client.StartAt(workload.Slices);

        client.Stats = new IngestPhaseStats();
        using var stop = new CancellationTokenSource();
        var load = client.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(o.WarmupSeconds));
        var measured = new IngestPhaseStats();
        foreach (var probe in probes)
        {
            probe.Reset();
        }

        var cpuStart = silo.TotalProcessorTime;
        var window = Stopwatch.StartNew();
        client.Stats = measured;
        var peakRss = 0L;
        while (window.Elapsed < TimeSpan.FromSeconds(o.Seconds))
        {
            peakRss = Math.Max(peakRss, silo.Rss);
            await Task.Delay(250);
        }

        client.Stats = new IngestPhaseStats();
        var elapsed = window.Elapsed.TotalSeconds;
        var cpu = (silo.TotalProcessorTime - cpuStart).TotalSeconds / elapsed;
        stop.Cancel();
        await load;
        await stopProbes.CancelAsync();
        await probing;

        Console.WriteLine(Invariant($"SATURATED ({o.Connections} senders, {elapsed:F1} s): {measured.Accepted / elapsed:N0} readings/s accepted, {measured.Batches / elapsed:N1} batches/s answered 200/422, {measured.Shed / elapsed:N1}/s shed (503/429; {measured.ShedWithoutRetryAfter} without Retry-After), errors {measured.Errors}{(measured.FirstError is null ? "" : $" first: {measured.FirstError}")}"));
        Console.WriteLine(Invariant($"  accepted batches, HTTP latency: {measured.HttpLatency.Summary()}"));
        Console.WriteLine(Invariant($"  silo CPU {cpu * 100:F0} % (of {System.Environment.ProcessorCount * 100} %), RSS peak {Mib(peakRss)} MiB"));
        Console.WriteLine("  probes under saturation:");
        foreach (var probe in probes)
        {
            Console.WriteLine($"    {probe.Summary()}");
        }
    }

    private static async Task BurstAsync(OverloadArgs o, LargeBodyBatch body, DateTimeOffset first, SiloProcess silo)
    {
        if (o.Bursts == 0)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var before = silo.Rss;
        Console.WriteLine(Invariant($"before the bursts (5 s after the load): RSS {Mib(before)} MiB; body {body.Length:N0} bytes, {body.Readings:N0} readings"));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.BurstSenders, UseProxy = false })
        {
            Timeout = TimeSpan.FromMinutes(2),
            DefaultRequestVersion = HttpVersion.Version11,
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", SiloProcess.IngestKey);
        var endpoint = new Uri(silo.BaseAddress, "/api/v1/readings");
        var buffers = Enumerable.Range(0, o.BurstSenders).Select(_ => new byte[body.Length]).ToArray();
        var answers = new Dictionary<int, int>();
        var peak = before;
        var request = 0;
        for (var burst = 0; burst < o.Bursts; burst++)
        {
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, silo.Rss);
                    await Task.Delay(50, CancellationToken.None);
                }
            });
            var next = -1;
            await Task.WhenAll(buffers.Select(buffer => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) < o.BurstRequests)
                {
                    var sent = Interlocked.Increment(ref request) - 1;
                    body.Write(first.AddSeconds((long)sent * body.SecondsPerRequest), buffer);
                    using var content = new ByteArrayContent(buffer, 0, body.Length);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    int status;
                    try
                    {
                        using var response = await http.PostAsync(endpoint, content);
                        await response.Content.ReadAsByteArrayAsync();
                        status = (int)response.StatusCode;
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                    {
                        status = 0;
                    }

                    lock (answers)
                    {
                        answers[status] = answers.GetValueOrDefault(status) + 1;
                    }
                }
            })));
            await sampling.CancelAsync();
            await sampler;
            Console.WriteLine(Invariant($"  burst {burst + 1}: RSS now {Mib(silo.Rss)} MiB, peak so far {Mib(peak)} MiB"));
            if (burst + 1 < o.Bursts)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }

        Console.WriteLine($"  answers (status: count, 0 = no answer): {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key}: {a.Value}"))}");
        var settle = Stopwatch.StartNew();
        var marks = new[] { 1, 5, 10, 15, 20, 30, 45, 60, 90, 120 }.Where(m => m < o.SettleSeconds).Append(o.SettleSeconds).ToArray();
        var line = new List<string>();
        foreach (var mark in marks)
        {
            var wait = TimeSpan.FromSeconds(mark) - settle.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            line.Add(Invariant($"{mark} s: {Mib(silo.Rss)}"));
        }

        Console.WriteLine($"  RSS idle after the last burst (MiB): {string.Join(" · ", line)}");
        Console.WriteLine(Invariant($"MEMORY: before {Mib(before)} MiB, PEAK {Mib(peak)} MiB (VmHWM of the whole run {Mib(silo.PeakRss)} MiB), SETTLED after {o.SettleSeconds} s {Mib(silo.Rss)} MiB"));
    }

    private static HttpClient ProbeClient(Uri baseAddress)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseProxy = false })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        http.DefaultRequestHeaders.Add("X-Api-Key", SiloProcess.ReadKey);
        return http;
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
