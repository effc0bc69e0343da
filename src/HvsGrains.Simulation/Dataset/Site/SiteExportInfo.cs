namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>
/// The manifest's "site" block of a dataset exported from a site's readings log: the range, the racks, where the labels
/// came from (rules and counts per <see cref="SiteLabelSource"/>) and every alarm that labelled rows.
/// </summary>
public sealed record SiteExportInfo(
    string SiteId,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Racks,
    double LabelWindowBeforeS,
    double LabelWindowAfterS,
    IReadOnlyList<string> LabelRules,
    IReadOnlyDictionary<string, long> RowsBySource,
    long ExcludedTestRows,
    IReadOnlyList<SiteAlarmUse> Alarms);

/// <summary>One alarm of the range and how many rows it labelled (or left out, for a test).</summary>
public sealed record SiteAlarmUse(string AlarmId, string Kind, string RackId, string? ModuleId, DateTimeOffset CauseSeenAt, string Verdict, long Rows);
