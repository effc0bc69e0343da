using System.Diagnostics.Metrics;
using HvsGrains.Grains.ModelScoring;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>
/// The feed and model figures Orleans' dashboard does not show (it sees grain calls, not readings),
/// read in-process with a <see cref="MeterListener"/> from the "HvsGrains.Silo" and "HvsGrains.Scoring"
/// meters: totals since start, and each read's figures over the last <see cref="Window"/>.
/// Only this host's meters are read, so silos hosted side by side (tests) do not mix.
/// </summary>
public sealed class FeedMeters : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _clock;
    private readonly MeterListener _listener = new();
    private readonly Queue<Totals> _recent = new();
    private Totals _totals;
    private string? _model;

    public FeedMeters(IMeterFactory meterFactory, TimeProvider clock)
    {
        _meterFactory = meterFactory;
        _clock = clock;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter;
            var ours = ReferenceEquals(meter.Scope, _meterFactory);
            if ((meter.Name == SiloMetrics.MeterName && ours) || (meter.Name == ScoringMetrics.MeterName && (ours || meter.Scope is null)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => OnMeasurement(i.Name, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => OnMeasurement(i.Name, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => OnMeasurement(i.Name, v, t));
        _listener.Start();
    }

    /// <summary>The figures now: totals, and rates and means over the last <see cref="Window"/> (null when nothing happened in it).</summary>
    public FeedFigures Read()
    {
        _listener.RecordObservableInstruments();
        lock (_gate)
        {
            var now = _totals with { At = _clock.GetUtcNow() };
            _recent.Enqueue(now);
            while (_recent.Count > 1 && now.At - _recent.Peek().At > Window)
            {
                _recent.Dequeue();
            }

            var from = _recent.Peek();
            var seconds = (now.At - from.At).TotalSeconds;
            return new FeedFigures(
                now.Accepted,
                seconds > 0 ? Math.Round((now.Accepted - from.Accepted) / seconds, 1) : null,
                Mean(now.CommitMs - from.CommitMs, now.Commits - from.Commits),
                Mean(now.ScoredRows - from.ScoredRows, now.ModelRuns - from.ModelRuns),
                Mean(now.WaitMs - from.WaitMs, now.Waits - from.Waits),
                _model,
                (int)Window.TotalSeconds);
        }
    }

    public void Dispose() => _listener.Dispose();

    private static double? Mean(double sum, long count) => count > 0 ? Math.Round(sum / count, 2) : null;

    private void OnMeasurement(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            switch (instrument)
            {
                case "hvs.ingest.readings" when Tag(tags, "outcome") is "accepted":
                    _totals = _totals with { Accepted = _totals.Accepted + (long)value };
                    break;
                case "hvs.readings_log.commit.duration": // seconds; the page shows milliseconds
                    _totals = _totals with { Commits = _totals.Commits + 1, CommitMs = _totals.CommitMs + (value * 1000) };
                    break;
                case "hvs.scoring.batch.rows":
                    _totals = _totals with { ModelRuns = _totals.ModelRuns + 1, ScoredRows = _totals.ScoredRows + (long)value };
                    break;
                case "hvs.scoring.wait": // seconds
                    _totals = _totals with { Waits = _totals.Waits + 1, WaitMs = _totals.WaitMs + (value * 1000) };
                    break;
                case "hvs.model.active":
                    // 1 with the model's version while a model is active; 0 on rules only and for versions used
                    // before. The current one is measured last, so the last measurement wins.
                    _model = value >= 1 ? Tag(tags, "model.version") : "rules only";
                    break;
                default:
                    break;
            }
        }
    }

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

    /// <summary>Cumulative counts since the listener started, stamped when read.</summary>
    private readonly record struct Totals(
        DateTimeOffset At, long Accepted, long Commits, double CommitMs, long ModelRuns, long ScoredRows, long Waits, double WaitMs);
}

/// <summary>The site page's "Feed &amp; model" panel.</summary>
/// <param name="ReadingsAccepted">Readings accepted since the silo started.</param>
/// <param name="ReadingsPerSecond">Accepted per second over the window.</param>
/// <param name="LogCommitMs">Mean wait for the readings log's durable commit of a batch.</param>
/// <param name="ReadingsPerModelRun">Mean feature vectors scored together in one model run.</param>
/// <param name="ScoringWaitMs">Mean time a reading waited for its score (queue plus run).</param>
/// <param name="Model">The model version in use, "rules only", or null before scoring reported.</param>
/// <param name="WindowSeconds">The window of the rates and means.</param>
public sealed record FeedFigures(
    long ReadingsAccepted,
    double? ReadingsPerSecond,
    double? LogCommitMs,
    double? ReadingsPerModelRun,
    double? ScoringWaitMs,
    string? Model,
    int WindowSeconds);
