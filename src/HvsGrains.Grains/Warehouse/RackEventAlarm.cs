using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The alarm of one rack event: names the module most likely at fault, its evidence and the other modules
/// affected; escalates in place (reopening an acknowledged alarm when the level rises above its peak).
/// </summary>
internal static class RackEventAlarm
{
    /// <summary>Raised now (<paramref name="now"/>, server time); the cause was seen at the event's sensor time.</summary>
    public static Alarm Raise(string id, string rackId, RackEvent rackEvent, DateTimeOffset now) =>
        new(id, AlarmKind.RackEvent, rackId, rackEvent.SuspectModuleId, rackEvent.Level, rackEvent.Level, AlarmState.Open, rackEvent.Summary, now, now, CauseSeenAt: rackEvent.At)
        {
            Evidence = rackEvent.Evidence,
            AffectedModules = rackEvent.AffectedModules,
        };

    /// <summary>
    /// The alarm brought in line with the event, or null when nothing an operator acts on changed: level, module,
    /// the modules affected, or a new kind of evidence (gas joining a peer deviation); not every new figure.
    /// </summary>
    public static Alarm? Update(Alarm active, RackEvent rackEvent, DateTimeOffset now)
    {
        // A hold without a named module keeps the module the alarm named.
        var suspect = rackEvent.SuspectModuleId ?? active.ModuleId;
        if (rackEvent.Level == active.Level && suspect == active.ModuleId
            && rackEvent.AffectedModules.SequenceEqual(active.AffectedModules, StringComparer.Ordinal)
            && (rackEvent.Evidence.Count == 0 || RackEvent.SameKinds(rackEvent.Evidence, active.Evidence)))
        {
            return null;
        }

        var escalated = rackEvent.Level > active.PeakLevel;
        return active with
        {
            ModuleId = suspect,
            Level = rackEvent.Level,
            PeakLevel = escalated ? rackEvent.Level : active.PeakLevel,
            State = escalated ? AlarmState.Open : active.State,
            Reason = rackEvent.SuspectModuleId is null && active.ModuleId is not null ? active.Reason : rackEvent.Summary,
            Evidence = rackEvent.Evidence.Count > 0 ? rackEvent.Evidence : active.Evidence,
            AffectedModules = rackEvent.AffectedModules,
            UpdatedAt = now,
        };
    }

    /// <summary>For a report of a rack of an earlier release (no event): its highest module alert as the event.</summary>
    public static RackEvent FromAlerts(RackReport report)
    {
        var top = report.Alerts.OrderByDescending(a => a.Level).FirstOrDefault();
        return top is null
            ? RackEvent.Quiet(report.At)
            : new RackEvent(top.Level, top.ModuleId, top.Reason ?? $"Module at {top.Level}", [], [.. report.Alerts.Where(a => a != top && a.Level >= HazardLevel.Watch).Select(a => a.ModuleId)], top.At);
    }
}
