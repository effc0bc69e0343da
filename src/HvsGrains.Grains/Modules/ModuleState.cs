using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>What a module grain persists: a snapshot of its windows plus its hazard memory.</summary>
[GenerateSerializer, Alias("hvs.module-state")]
public sealed record ModuleState
{
    [Id(0)]
    public string? RackId { get; set; }

    [Id(1)]
    public ModuleFeatureSnapshot? Features { get; set; }

    [Id(2)]
    public HazardMemory Memory { get; set; } = HazardMemory.Initial;

    [Id(3)]
    public HazardAssessment? Assessment { get; set; }

    [Id(4)]
    public string? ModelVersion { get; set; }

    [Id(5)]
    public SensorReading? LatestReading { get; set; }

    /// <summary>Highest readings-log sequence applied.</summary>
    [Id(6)]
    public long LastSequence { get; set; }

    /// <summary>Channels at fault, by JSON name (see <see cref="SensorFaultWatch"/>).</summary>
    [Id(20)]
    public Dictionary<string, SensorFault> SensorFaults { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The latest reading's anomaly score (null: anomaly scoring off or the model has none).</summary>
    [Id(22)]
    public double? AnomalyScore { get; set; }

    /// <summary>The anomaly advisory in force (see <see cref="AnomalyWatch"/>).</summary>
    [Id(23)]
    public AnomalyAdvisory? Anomaly { get; set; }

    /// <summary>Per-minute means of the hottest surface for the forecast, written with the snapshot (the log replays the rest); null when forecasts are off.</summary>
    [Id(24)]
    public SurfaceMinutesSnapshot? SurfaceMinutes { get; set; }
}
