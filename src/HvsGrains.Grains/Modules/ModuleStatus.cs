using System.ComponentModel;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>A module as facility systems see it: level, why, latest reading and current features.</summary>
[GenerateSerializer, Immutable, Alias("hvs.module-status")]
public sealed record ModuleStatus(
    [Id(0)] string ModuleId,
    [Id(1)] string RackId,
    [Id(2)] HazardLevel Level,
    [Id(3)] double? HazardProbability,
    [Id(4)] string? ModelVersion,
    [Id(5)] string Explanation,
    [Id(6)] IReadOnlyList<HazardReason> Reasons,
    [Id(7)] DateTimeOffset? EvaluatedAt,
    [Id(8)] SensorReading LatestReading,
    [Id(9)] IReadOnlyDictionary<string, float> Features,
    [Id(10)] FeatureCounters DataQuality,
    [property: Description("Null while the module is within what the model was trained on; otherwise why it is not (hazardProbability is then null: the rules decide).")]
    [Id(20)] string? ModelOutOfDomain = null,
    [property: Description("Sensor channels that sent implausible values lately; their values were replaced (imputed). Times are sensor time.")]
    [Id(21)] IReadOnlyList<SensorFault>? SensorFaults = null,
    [property: Description("The latest reading's anomaly score in (0, 1], higher = less like normal operation; null when the silo has anomaly scoring off (Hvs:Anomaly:Enabled=false) or the model has no anomaly score (GET /api/v1/model shows its anomaly settings).")]
    [Id(22)] double? AnomalyScore = null,
    [property: Description("An advisory, never a hazard level or alarm: the module's readings look unlike normal operation (score at or above the model's threshold). Null when none.")]
    [Id(23)] AnomalyAdvisory? Anomaly = null,
    [property: Description("Forecast of the max surface temperature for the next 30 min (sensor time) with its prediction interval; null when forecasts are off (Hvs:Forecast:Enabled) or the module has under 5 minutes of readings.")]
    [Id(24)] SurfaceForecast? Forecast = null,
    [property: Description("When rising: the expected minutes until the max surface reaches each threshold of the MaxSurfaceTempC safety rule (Watch, Warning, Critical); null with no forecast.")]
    [Id(25)] IReadOnlyList<ThresholdEta>? TimeToThresholds = null,
    [property: Description("The shadow model's probability at the latest reading, while a candidate runs in shadow (it never sets the level).")]
    [Id(26)] double? ShadowProbability = null,
    [property: Description("The level the shadow model would have given the module (same rules and hysteresis, its own thresholds); not in effect.")]
    [Id(27)] HazardLevel? ShadowLevel = null);
