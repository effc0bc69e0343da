using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>
/// An alarm as the site export's labels see it: what it was about, when its cause was first seen (sensor time, the
/// clock of the rows) and the operator's verdict, if any. <paramref name="AffectedModules"/> are a rack event's other
/// modules (empty when the alarm itself was trimmed and only its verdict is kept).
/// </summary>
public sealed record SiteAlarm(
    string AlarmId,
    AlarmKind Kind,
    string RackId,
    string? ModuleId,
    IReadOnlyList<string> AffectedModules,
    DateTimeOffset CauseSeenAt,
    AlarmVerdict? Verdict);
