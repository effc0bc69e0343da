using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard.Metrics;

/// <summary>
/// Reads the silo's own meters in-process with a <see cref="MeterListener"/> — the runtime's
/// ("HvsGrains.Runtime"), the front door's ("HvsGrains.Silo") and, when one exists, the scorer's
/// ("HvsGrains.Scoring") — and keeps a ring of one-second samples for the cluster page. There is no
/// second bookkeeping: every figure is a measurement those instruments published.
/// Only meters made by this host's <see cref="IMeterFactory"/> are read, so several silos hosted in
/// one process (tests) do not see each other's figures.
/// </summary>
public sealed class ClusterMetricsCollector : BackgroundService
{
    public const string ScoringMeterName = "HvsGrains.Scoring";

    private readonly object _gate = new();
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _clock;
    private readonly DashboardOptions _options;
    private readonly MeterListener _listener = new();
    private readonly Process _process = Process.GetCurrentProcess();
    private readonly Queue<ClusterSample> _samples = new();

    private readonly Dictionary<string, long> _activations = [];
    private readonly Dictionary<GrainMethodKey, long> _calls = [];
    private readonly Dictionary<GrainMethodKey, long> _failures = [];
    private readonly Dictionary<string, int> _mailbox = [];
    private readonly Dictionary<string, int> _mailboxMax = [];
    private readonly Dictionary<string, long> _ingested = [];
    private Dictionary<string, LatencyHistogram> _turns = [];
    private Dictionary<GrainMethodKey, LatencyHistogram> _methodTurns = [];
    private LatencyHistogram _commit = new();
    private LatencyHistogram _scoring = new();
    private readonly Dictionary<string, long> _refusals = [];
    private string? _modelVersion;
    private bool _scoringMeterSeen;

    private TimeSpan _lastCpu;
    private long _lastCpuTimestamp;

    public ClusterMetricsCollector(IMeterFactory meterFactory, TimeProvider clock, IOptions<DashboardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _meterFactory = meterFactory;
        _clock = clock;
        _options = options.Value;
        StartedAt = clock.GetUtcNow();
        _lastCpu = _process.TotalProcessorTime;
        _lastCpuTimestamp = Stopwatch.GetTimestamp();

        // Started here, not in ExecuteAsync: the host builds every hosted service before starting any,
        // so no activation made while the others start is missed.
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => OnMeasurement(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>When this silo's collector started (the silo's start, to the second).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>True once an instrument of the "HvsGrains.Scoring" meter has been published.</summary>
    public bool ScoringMeterSeen
    {
        get
        {
            lock (_gate)
            {
                return _scoringMeterSeen;
            }
        }
    }

    /// <summary>The samples of the last <paramref name="span"/>, oldest first.</summary>
    public IReadOnlyList<ClusterSample> Samples(TimeSpan span)
    {
        lock (_gate)
        {
            var since = _clock.GetUtcNow() - span;
            return _samples.Where(s => s.At >= since).ToList();
        }
    }

    /// <summary>Takes a sample now (the timer does it every second; tests and the first request may not wait).</summary>
    public ClusterSample Sample()
    {
        _listener.RecordObservableInstruments();
        var now = Stopwatch.GetTimestamp();
        _process.Refresh();
        var cpu = _process.TotalProcessorTime;
        ClusterSample sample;
        lock (_gate)
        {
            var wall = Stopwatch.GetElapsedTime(_lastCpuTimestamp, now);
            var cpuPercent = wall > TimeSpan.Zero ? 100 * (cpu - _lastCpu).TotalMilliseconds / (wall.TotalMilliseconds * Environment.ProcessorCount) : 0;
            _lastCpu = cpu;
            _lastCpuTimestamp = now;
            sample = new ClusterSample(
                _clock.GetUtcNow(),
                Math.Clamp(cpuPercent, 0, 100),
                _process.WorkingSet64,
                GC.GetTotalMemory(forceFullCollection: false),
                new Dictionary<string, long>(_activations),
                new Dictionary<GrainMethodKey, long>(_calls),
                new Dictionary<GrainMethodKey, long>(_failures),
                _turns,
                _methodTurns,
                new Dictionary<string, int>(_mailbox),
                new Dictionary<string, int>(_mailboxMax),
                new Dictionary<string, long>(_ingested),
                _commit,
                _scoring,
                new Dictionary<string, long>(_refusals),
                _modelVersion);
            _turns = [];
            _methodTurns = [];
            _commit = new LatencyHistogram();
            _scoring = new LatencyHistogram();
            _samples.Enqueue(sample);
            while (_samples.Count > Math.Max(2, (int)(_options.MetricsHistory.TotalSeconds / _options.MetricsInterval.TotalSeconds)))
            {
                _samples.Dequeue();
            }
        }

        return sample;
    }

    public override void Dispose()
    {
        _listener.Dispose();
        _process.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.MetricsInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sample();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        var meter = instrument.Meter;
        var ours = ReferenceEquals(meter.Scope, _meterFactory);
        var wanted = meter.Name switch
        {
            SiloMetrics.MeterName => ours,
            ScoringMeterName => ours || meter.Scope is null,
            _ => false,
        };
        if (!wanted)
        {
            return;
        }

        if (meter.Name == ScoringMeterName)
        {
            lock (_gate)
            {
                _scoringMeterSeen = true;
            }
        }

        listener.EnableMeasurementEvents(instrument);
    }

    private void OnMeasurement(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var grainType = Tag(tags, "grain.type") ?? "unknown";
        lock (_gate)
        {
            switch (instrument.Name)
            {
                case "hvs.grain.activations":
                    _activations[grainType] = _activations.GetValueOrDefault(grainType) + (long)value;
                    break;
                case "hvs.grain.calls":
                    Increment(_calls, new GrainMethodKey(grainType, Tag(tags, "grain.method") ?? "?"), (long)value);
                    break;
                case "hvs.grain.call.failures":
                    Increment(_failures, new GrainMethodKey(grainType, Tag(tags, "grain.method") ?? "?"), (long)value);
                    break;
                case "hvs.grain.turn.duration":
                    if (!_turns.TryGetValue(grainType, out var turns))
                    {
                        _turns[grainType] = turns = new LatencyHistogram();
                    }

                    turns.Record(value);
                    var methodKey = new GrainMethodKey(grainType, Tag(tags, "grain.method") ?? "?");
                    if (!_methodTurns.TryGetValue(methodKey, out var methodTurns))
                    {
                        _methodTurns[methodKey] = methodTurns = new LatencyHistogram();
                    }

                    methodTurns.Record(value);
                    break;
                case "hvs.grain.mailbox.depth":
                    _mailbox[grainType] = (int)value;
                    break;
                case "hvs.grain.mailbox.max_depth":
                    _mailboxMax[grainType] = (int)value;
                    break;
                case "hvs.ingest.readings":
                    var outcome = Tag(tags, "outcome") ?? "accepted";
                    _ingested[outcome] = _ingested.GetValueOrDefault(outcome) + (long)value;
                    break;
                case "hvs.readings_log.commit.duration":
                    _commit.Record(value);
                    break;
                case "hvs.scoring.duration":
                    _scoring.Record(value);
                    break;
                case "hvs.scoring.refusals":
                    var reason = Tag(tags, "reason") ?? "unspecified";
                    _refusals[reason] = _refusals.GetValueOrDefault(reason) + (long)value;
                    break;
                case "hvs.model.active":
                    // 1 with the model's version while a model is active; 0 on rules only.
                    _modelVersion = value >= 1 ? ModelVersion(tags) : null;
                    break;
                default:
                    break;
            }
        }
    }

    private static void Increment(Dictionary<GrainMethodKey, long> counts, GrainMethodKey key, long by) =>
        counts[key] = counts.GetValueOrDefault(key) + by;

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }

    private static string? ModelVersion(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key is "model.version" or "hvs.model.version" or "model_version")
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
