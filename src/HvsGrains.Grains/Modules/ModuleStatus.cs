using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>A module as facility systems see it: level, why, latest reading and current features.</summary>
public sealed record ModuleStatus(
    string ModuleId,
    string RackId,
    HazardLevel Level,
    double? HazardProbability,
    string? ModelVersion,
    string Explanation,
    IReadOnlyList<HazardReason> Reasons,
    DateTimeOffset? EvaluatedAt,
    SensorReading LatestReading,
    IReadOnlyDictionary<string, float> Features,
    FeatureCounters DataQuality);
