using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>Scoring's instruments on the "HvsGrains.Scoring" meter: run time, batch size, wait, refusals, the model in use.</summary>
public sealed class ScoringMetrics
{
    public const string MeterName = "HvsGrains.Scoring";

    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _wait;
    private readonly Histogram<int> _batchRows;
    private readonly Counter<long> _refusals;

    public ScoringMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        var seconds = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets.Seconds };
        _duration = Meter.CreateHistogram("hvs.scoring.duration", "s", "Time of one model run over a batch of feature vectors", tags: null, advice: seconds);
        _wait = Meter.CreateHistogram("hvs.scoring.wait", "s", "Time a reading waited for its score: the queue plus its model run", tags: null, advice: seconds);
        _batchRows = Meter.CreateHistogram<int>("hvs.scoring.batch.rows", "{reading}", "Feature vectors scored together in one model run");
        _refusals = Meter.CreateCounter<long>("hvs.scoring.refusals", "{event}", "Models refused and scores not produced, by reason");
    }

    internal Meter Meter { get; }

    public void Scored(TimeSpan elapsed, int rows)
    {
        _duration.Record(elapsed.TotalSeconds);
        _batchRows.Record(rows);
    }

    public void Waited(TimeSpan elapsed) => _wait.Record(elapsed.TotalSeconds);

    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Publishes the active model's version (1 while a model is active, 0 on rules only).</summary>
    public void ObserveModel(Func<HazardModelInfo?> current) =>
        Meter.CreateObservableGauge("hvs.model.active", () =>
        {
            var model = current();
            return new Measurement<int>(model is null ? 0 : 1, new KeyValuePair<string, object?>("model.version", model?.Version ?? "rules-only"));
        }, "{model}", "The hazard model in use");
}
