namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>What one silo's modules compared since its last report: counts, new differences and first alarm times.</summary>
[GenerateSerializer, Immutable, Alias("hvs.shadow-tally-report")]
public sealed record ShadowTallyReport(
    [Id(0)] string Silo,
    [Id(1)] DateTimeOffset At,
    [Id(2)] ShadowCounts Counts,
    [Id(3)] IReadOnlyList<ShadowDifference> Differences,
    [Id(4)] long DifferencesSeen,
    [Id(5)] IReadOnlyList<ModuleAlarmTimes> AlarmTimes);
