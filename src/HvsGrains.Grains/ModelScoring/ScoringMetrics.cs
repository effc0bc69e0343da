using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>Scoring's instruments on the "HvsGrains.Scoring" meter: run time, batch size, wait, refusals, the model in use.</summary>
public sealed class ScoringMetrics
{
    public const string MeterName = "HvsGrains.Scoring";

    /// <summary>The model.version of hvs.model.active while the rules decide alone.</summary>
    public const string RulesOnly = "rules-only";

    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _wait;
    private readonly Histogram<int> _batchRows;
    private readonly Counter<long> _refusals;

    public ScoringMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(MeterName);
        _duration = Meter.CreateHistogram("hvs.scoring.duration", "s", "Time of one model run over a batch of feature vectors", tags: null, advice: LatencyBuckets.Advice);
        _wait = Meter.CreateHistogram("hvs.scoring.wait", "s", "Time a reading waited for its score: the queue plus its model run", tags: null, advice: LatencyBuckets.Advice);
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

    /// <summary>
    /// Publishes the active model's version (1 while a model is active, 0 on rules only). Versions used before
    /// are reported as 0: exporters keep every series they have seen, so an old version would otherwise stay at 1.
    /// The current one comes last (the site page's feed panel takes the last measurement).
    /// </summary>
    public void ObserveModel(Func<HazardModelInfo?> current)
    {
        var seen = new List<string>();
        Meter.CreateObservableGauge("hvs.model.active", () =>
        {
            var model = current();
            var version = model?.Version ?? RulesOnly;
            lock (seen)
            {
                if (!seen.Contains(version))
                {
                    seen.Add(version);
                }

                return seen.Where(v => v != version)
                    .Select(v => new Measurement<int>(0, new KeyValuePair<string, object?>("model.version", v)))
                    .Append(new Measurement<int>(model is null ? 0 : 1, new KeyValuePair<string, object?>("model.version", version)))
                    .ToList();
            }
        }, "{model}", "The hazard model in use (1); versions used before and rules-only are 0");
    }
}
