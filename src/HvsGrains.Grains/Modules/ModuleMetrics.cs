using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.Modules;

/// <summary>The module grains' instruments on the "HvsGrains.Grains" meter.</summary>
public sealed class ModuleMetrics
{
    public const string MeterName = "HvsGrains.Grains";

    private readonly Histogram<double> _readingLag;
    private readonly Counter<long> _levelChanges;

    public ModuleMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _readingLag = meter.CreateHistogram(
            "hvs.module.reading.lag", "s", "From the front door accepting a reading to its module's hazard level being updated",
            tags: null, advice: LatencyBuckets.Advice);
        _levelChanges = meter.CreateCounter<long>("hvs.module.level.changes", "{change}", "Hazard level changes of modules, by new level");
    }

    public void ReadingApplied(TimeSpan lag) => _readingLag.Record(lag.TotalSeconds);

    public void LevelChanged(string level) => _levelChanges.Add(1, new KeyValuePair<string, object?>("level", level));
}
