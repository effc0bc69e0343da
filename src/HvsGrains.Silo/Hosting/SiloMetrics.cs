using System.Diagnostics.Metrics;
using HvsGrains.Grains;

namespace HvsGrains.Silo;

/// <summary>The front door's instruments on the "HvsGrains.Silo" meter.</summary>
public sealed class SiloMetrics
{
    public const string MeterName = "HvsGrains.Silo";

    private readonly Counter<long> _readings;
    private readonly Histogram<double> _commitLatency;
    private readonly Counter<long> _shed;

    public SiloMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _readings = meter.CreateCounter<long>("hvs.ingest.readings", "{reading}", "Readings received, by outcome");
        _shed = meter.CreateCounter<long>("hvs.ingest.shed", "{request}", "Ingest requests answered 503 (Retry-After) because the silo was at its ingest limit");
        _commitLatency = meter.CreateHistogram(
            "hvs.readings_log.commit.duration", "s", "Wait for the durable log commit of a batch",
            tags: null, advice: LatencyBuckets.Advice);
    }

    public void ReadingsIngested(int accepted, int duplicates, int rejected)
    {
        _readings.Add(accepted, new KeyValuePair<string, object?>("outcome", "accepted"));
        _readings.Add(duplicates, new KeyValuePair<string, object?>("outcome", "duplicate"));
        _readings.Add(rejected, new KeyValuePair<string, object?>("outcome", "rejected"));
    }

    public void IngestShed() => _shed.Add(1);

    public void LogCommitted(int readings, TimeSpan elapsed) => _commitLatency.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("batch.size", readings <= 100 ? "small" : "large"));
}
