using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// The shadow trial's instruments on the "HvsGrains.Scoring" meter, counted when a silo reports (not per reading) and
/// without per-module labels: readings compared and readings on which the two models gave different levels.
/// </summary>
public sealed class ShadowMetrics
{
    private readonly Counter<long> _compared;
    private readonly Counter<long> _disagreed;

    public ShadowMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(ScoringMetrics.MeterName);
        _compared = meter.CreateCounter<long>("hvs.shadow.readings.compared", "{reading}", "Readings scored by both the active and the shadow model");
        _disagreed = meter.CreateCounter<long>("hvs.shadow.readings.disagreed", "{reading}", "Readings on which the shadow model's level differed from the active model's");
    }

    public void Reported(ShadowCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        _compared.Add(counts.Compared);
        _disagreed.Add(counts.Compared - counts.SameLevel);
    }
}
