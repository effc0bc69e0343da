using System.ComponentModel;
using HvsGrains.Grains.ModelScoring.Catalog;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>A shadow trial as the API and `hvs model shadow` show it.</summary>
[GenerateSerializer, Immutable, Alias("hvs.shadow-comparison-view")]
public sealed record ShadowComparison(
    [property: Description("The key of this trial.")]
    [Id(0)] string Trial,
    [property: Description("The candidate model; uploadedBy and uploadedAt say who put it in shadow and when (the start of the trial).")]
    [Id(1)] ModelCatalogEntry? Candidate,
    [Id(2)] string? ActiveVersionAtStart,
    [Id(3)] ShadowCounts Counts,
    [property: Description("Readings on which both gave the same level, as a share of those compared; null before the first.")]
    [Id(4)] double? LevelAgreement,
    [property: Description("Readings on which both were on the same side of Warning (both alarming or both not), as a share of those compared.")]
    [Id(5)] double? AlarmAgreement,
    [property: Description("Where they differ, newest first: a module's first reading at a new pair of levels (bounded; differencesSeen counts all).")]
    [Id(6)] IReadOnlyList<ShadowDifference> Differences,
    [Id(7)] long DifferencesSeen,
    [property: Description("Per module that reached Warning under either model: when each model first put it at Warning and at Critical (sensor time).")]
    [Id(8)] IReadOnlyList<ModuleAlarmTimes> Modules,
    [Id(9)] FirstAlarmSummary Warning,
    [Id(10)] FirstAlarmSummary Critical,
    [property: Description("The silos that reported to this trial and when they last did.")]
    [Id(11)] IReadOnlyDictionary<string, DateTimeOffset> Silos,
    [property: Description("How the trial ended (promoted, removed, replaced) and by whom and when; null while it runs.")]
    [Id(12)] string? Ended,
    [Id(13)] string? EndedBy,
    [Id(14)] DateTimeOffset? EndedAt);

/// <summary>
/// Modules by which model first put them at a level: at the same sensor time, the shadow earlier or later, or only one
/// of the two (so far).
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.first-alarm-summary")]
public sealed record FirstAlarmSummary(
    [Id(0)] int Same,
    [Id(1)] int ShadowEarlier,
    [Id(2)] int ShadowLater,
    [Id(3)] int ShadowOnly,
    [Id(4)] int ActiveOnly)
{
    public static FirstAlarmSummary Of(IEnumerable<(DateTimeOffset? Active, DateTimeOffset? Shadow)> times)
    {
        ArgumentNullException.ThrowIfNull(times);
        int same = 0, earlier = 0, later = 0, shadowOnly = 0, activeOnly = 0;
        foreach (var (active, shadow) in times)
        {
            switch (active, shadow)
            {
                case ({ } a, { } s) when a == s: same++; break;
                case ({ } a, { } s) when s < a: earlier++; break;
                case ({ }, { }): later++; break;
                case (null, { }): shadowOnly++; break;
                case ({ }, null): activeOnly++; break;
            }
        }

        return new(same, earlier, later, shadowOnly, activeOnly);
    }
}
