using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// A reading at which the two models put a module at different levels. Recorded when a module starts to differ or the
/// pair of levels changes, not for every reading of a long disagreement (those are counted in <see cref="ShadowCounts"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.shadow-difference")]
public sealed record ShadowDifference(
    [Id(0)] string ModuleId,
    [Id(1)] DateTimeOffset SensorTime,
    [Id(2)] HazardLevel ActiveLevel,
    [Id(3)] double? ActiveProbability,
    [Id(4)] HazardLevel ShadowLevel,
    [Id(5)] double ShadowProbability);
