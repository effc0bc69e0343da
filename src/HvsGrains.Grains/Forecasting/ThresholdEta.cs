using System.ComponentModel;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Forecasting;

/// <summary>When a rising module's hottest surface is expected to reach one of the safety rule's temperature thresholds.</summary>
[GenerateSerializer, Immutable, Alias("hvs.threshold-eta")]
public sealed record ThresholdEta(
    [property: Id(0), Description("The level the threshold raises.")] HazardLevel Level,
    [property: Id(1), Description("The safety rule and its threshold: Hvs:HazardRules:MaxSurfaceTempC at this level.")] string Rule,
    [property: Id(2), Description("The threshold, °C.")] double ThresholdC,
    [property: Id(3), Description("True when the trend is at or above the threshold already.")] bool Reached,
    [property: Id(4), Description("Expected minutes until the threshold; null when the module is not rising or not expected to reach it within the look-ahead.")] double? Minutes,
    [property: Id(5), Description("Sensor time it is expected.")] DateTimeOffset? At,
    [property: Id(6), Description("Minutes until the upper end of the interval reaches it: the earliest plausible time.")] double? EarliestMinutes);
