namespace HvsGrains.Silo.Dashboard.Metrics;

/// <summary>What /api/v1/cluster answers: this silo now, per-grain figures over the last minute, and history series.</summary>
public sealed record ClusterReport(
    SiloSummary Silo,
    long TotalActivations,
    IReadOnlyList<ActivationCount> Activations,
    IReadOnlyList<MethodFigures> Methods,
    IReadOnlyList<TurnLatency> TurnLatency,
    IReadOnlyList<MailboxFigures> Mailboxes,
    IngestFigures Ingest,
    ScoringFigures Scoring,
    ClusterHistory History);

/// <summary>One silo (this one, until the cluster exists).</summary>
public sealed record SiloSummary(
    string Id,
    string HostName,
    int ProcessId,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    double CpuPercent,
    int ProcessorCount,
    long WorkingSetBytes,
    long GcHeapBytes,
    string Status);

public sealed record ActivationCount(string GrainType, long Count);

/// <summary>Calls of one grain method: in total, and per second / failed over the last minute.</summary>
public sealed record MethodFigures(string GrainType, string Method, long Calls, double CallsPerSecond, long Failures, long FailuresLastMinute, double? MeanMs, double? P99Ms);

/// <summary>Turn duration of a grain type over the last minute (the runtime measures turns per grain type).</summary>
public sealed record TurnLatency(string GrainType, long Turns, double? MeanMs, double? P50Ms, double? P99Ms);

public sealed record MailboxFigures(string GrainType, int Depth, int MaxDepth);

public sealed record LatencyFigures(long Count, double? MeanMs, double? P50Ms, double? P99Ms)
{
    public static LatencyFigures Of(LatencyHistogram histogram) =>
        new(histogram.Count, histogram.MeanMs, histogram.Percentile(0.5), histogram.Percentile(0.99));
}

/// <summary>
/// The front door: readings by outcome, the accepted rate over the last 10 s, the log's group-commit
/// latency over the last minute, and the backlog: turns queued in module grains' mailboxes.
/// </summary>
public sealed record IngestFigures(long Accepted, long Duplicates, long Rejected, double AcceptedPerSecond, LatencyFigures LogCommit, long Backlog);

/// <summary>
/// The shared model as the "HvsGrains.Scoring" meter reports it (hvs.model.active with its model.version tag,
/// hvs.scoring.duration, hvs.scoring.refusals by reason); Loaded is false on rules only or while no such meter exists.
/// </summary>
public sealed record ScoringFigures(bool Loaded, string? ModelVersion, LatencyFigures Latency, long Refusals, IReadOnlyDictionary<string, long> RefusalsByReason, string Note);

/// <summary>Per-second series, aligned on <see cref="At"/> (Unix seconds).</summary>
public sealed record ClusterHistory(
    IReadOnlyList<long> At,
    IReadOnlyList<double> CpuPercent,
    IReadOnlyList<double> WorkingSetMb,
    IReadOnlyList<double> GcHeapMb,
    IReadOnlyDictionary<string, IReadOnlyList<long>> Activations,
    IReadOnlyDictionary<string, IReadOnlyList<double>> CallsPerSecond,
    IReadOnlyList<double> FailuresPerSecond,
    IReadOnlyDictionary<string, IReadOnlyList<double?>> TurnP99Ms,
    IReadOnlyDictionary<string, IReadOnlyList<long>> MailboxDepth,
    IReadOnlyList<double> IngestPerSecond,
    IReadOnlyList<double?> LogCommitP99Ms,
    IReadOnlyList<double?> ScoringP99Ms);

/// <summary>Turns the collector's samples into a <see cref="ClusterReport"/>.</summary>
public static class ClusterReports
{
    public const string ModuleGrainType = "IModuleGrain";

    public static ClusterReport Build(ClusterMetricsCollector collector, IReadOnlyList<ClusterSample> samples, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(collector);
        ArgumentNullException.ThrowIfNull(samples);
        var last = samples[^1];
        var minute = samples.Where(s => s.At > last.At - TimeSpan.FromSeconds(60)).ToList();
        var minuteBase = BaseOf(samples, minute);

        var silo = new SiloSummary(
            $"{Environment.MachineName}/{Environment.ProcessId}",
            Environment.MachineName,
            Environment.ProcessId,
            collector.StartedAt,
            (now - collector.StartedAt).TotalSeconds,
            Math.Round(last.CpuPercent, 1),
            Environment.ProcessorCount,
            last.WorkingSetBytes,
            last.GcHeapBytes,
            "Active");

        var activations = last.Activations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new ActivationCount(a.Key, a.Value)).ToList();
        var seconds = Math.Max(1, (last.At - minuteBase.At).TotalSeconds);
        var methods = last.Calls.Keys.Union(last.Failures.Keys)
            .OrderBy(k => k.GrainType, StringComparer.Ordinal).ThenBy(k => k.Method, StringComparer.Ordinal)
            .Select(k =>
            {
                var window = Sum(minute.Select(s => s.MethodTurnDurations.GetValueOrDefault(k)));
                return new MethodFigures(
                    k.GrainType,
                    k.Method,
                    last.Calls.GetValueOrDefault(k),
                    Math.Round((last.Calls.GetValueOrDefault(k) - minuteBase.Calls.GetValueOrDefault(k)) / seconds, 2),
                    last.Failures.GetValueOrDefault(k),
                    last.Failures.GetValueOrDefault(k) - minuteBase.Failures.GetValueOrDefault(k),
                    window.MeanMs,
                    window.Percentile(0.99));
            })
            .ToList();

        var turnTypes = minute.SelectMany(s => s.TurnDurations.Keys).Union(last.Activations.Keys).Distinct().Order(StringComparer.Ordinal);
        var latency = turnTypes.Select(type =>
        {
            var window = Sum(minute.Select(s => s.TurnDurations.GetValueOrDefault(type)));
            return new TurnLatency(type, window.Count, window.MeanMs, window.Percentile(0.5), window.Percentile(0.99));
        }).ToList();

        var mailboxes = last.MailboxDepth.Keys.Union(last.MailboxMaxDepth.Keys).Order(StringComparer.Ordinal)
            .Select(type => new MailboxFigures(type, last.MailboxDepth.GetValueOrDefault(type), last.MailboxMaxDepth.GetValueOrDefault(type)))
            .ToList();

        var tenSeconds = samples.Where(s => s.At > last.At - TimeSpan.FromSeconds(10)).ToList();
        var tenBase = BaseOf(samples, tenSeconds);
        var ingestRate = (last.IngestedReadings.GetValueOrDefault("accepted") - tenBase.IngestedReadings.GetValueOrDefault("accepted"))
            / Math.Max(1, (last.At - tenBase.At).TotalSeconds);
        var ingest = new IngestFigures(
            last.IngestedReadings.GetValueOrDefault("accepted"),
            last.IngestedReadings.GetValueOrDefault("duplicate"),
            last.IngestedReadings.GetValueOrDefault("rejected"),
            Math.Round(ingestRate, 2),
            LatencyFigures.Of(Sum(minute.Select(s => s.LogCommit))),
            last.MailboxDepth.GetValueOrDefault(ModuleGrainType));

        var scoringLatency = LatencyFigures.Of(Sum(minute.Select(s => s.Scoring)));
        var loaded = collector.ScoringMeterSeen && last.ModelVersion is not null;
        var scoring = new ScoringFigures(
            loaded,
            last.ModelVersion,
            scoringLatency,
            last.ScoringRefusals.Values.Sum(),
            last.ScoringRefusals,
            loaded ? $"model {last.ModelVersion}" : "no model loaded (rules only)");

        return new ClusterReport(silo, activations.Sum(a => a.Count), activations, methods, latency, mailboxes, ingest, scoring, History(samples));
    }

    private static ClusterHistory History(IReadOnlyList<ClusterSample> samples)
    {
        var types = samples.SelectMany(s => s.Activations.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var methodKeys = samples.SelectMany(s => s.Calls.Keys).Distinct().OrderBy(k => k.ToString(), StringComparer.Ordinal).ToList();
        var turnTypes = samples.SelectMany(s => s.TurnDurations.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var mailboxTypes = samples.SelectMany(s => s.MailboxDepth.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

        return new ClusterHistory(
            samples.Select(s => s.At.ToUnixTimeSeconds()).ToList(),
            samples.Select(s => Math.Round(s.CpuPercent, 1)).ToList(),
            samples.Select(s => Math.Round(s.WorkingSetBytes / 1048576.0, 1)).ToList(),
            samples.Select(s => Math.Round(s.GcHeapBytes / 1048576.0, 1)).ToList(),
            types.ToDictionary(t => t, t => (IReadOnlyList<long>)samples.Select(s => s.Activations.GetValueOrDefault(t)).ToList()),
            methodKeys.ToDictionary(k => k.ToString(), k => (IReadOnlyList<double>)Rates(samples, s => s.Calls.GetValueOrDefault(k))),
            Rates(samples, s => s.Failures.Values.Sum()),
            turnTypes.ToDictionary(t => t, t => (IReadOnlyList<double?>)samples.Select(s => Round(s.TurnDurations.GetValueOrDefault(t)?.Percentile(0.99))).ToList()),
            mailboxTypes.ToDictionary(t => t, t => (IReadOnlyList<long>)samples.Select(s => (long)s.MailboxDepth.GetValueOrDefault(t)).ToList()),
            Rates(samples, s => s.IngestedReadings.GetValueOrDefault("accepted")),
            samples.Select(s => Round(s.LogCommit.Percentile(0.99))).ToList(),
            samples.Select(s => Round(s.Scoring.Percentile(0.99))).ToList());
    }

    private static List<double> Rates(IReadOnlyList<ClusterSample> samples, Func<ClusterSample, long> cumulative)
    {
        var rates = new List<double>(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            if (i == 0)
            {
                rates.Add(0);
                continue;
            }

            var seconds = Math.Max(0.001, (samples[i].At - samples[i - 1].At).TotalSeconds);
            rates.Add(Math.Round(Math.Max(0, cumulative(samples[i]) - cumulative(samples[i - 1])) / seconds, 2));
        }

        return rates;
    }

    private static ClusterSample BaseOf(IReadOnlyList<ClusterSample> all, List<ClusterSample> window)
    {
        var firstIndex = all.Count - window.Count;
        return firstIndex > 0 ? all[firstIndex - 1] : all[0];
    }

    private static LatencyHistogram Sum(IEnumerable<LatencyHistogram?> histograms)
    {
        var total = new LatencyHistogram();
        foreach (var histogram in histograms)
        {
            if (histogram is not null)
            {
                total.Add(histogram);
            }
        }

        return total;
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
