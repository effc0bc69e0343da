using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The alarm life cycle over the warehouse's alarm list: raise at Warning, escalate (reopening an
/// acknowledged alarm, since a worse level needs fresh eyes), clear when the cause is gone.
/// <paramref name="raised"/> hears of each new alarm (the metrics count them). Raised, updated and
/// cleared times are the server's (<paramref name="clock"/>); the report's sensor time is the cause's.
/// </summary>
public sealed class AlarmBook(WarehouseState state, int clearedAlarmsKept, Action<Alarm>? raised = null, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Brings the alarms of one rack in line with its report; true when any alarm changed.</summary>
    public bool Reconcile(RackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var changed = false;
        var hazards = report.Alerts.Where(a => a.Level >= HazardLevel.Warning).ToDictionary(a => a.ModuleId);
        foreach (var alert in hazards.Values)
        {
            changed |= RaiseOrEscalate(AlarmKind.ModuleHazard, report.RackId, alert.ModuleId, alert.Level, alert.Reason ?? $"Module at {alert.Level}", alert.At);
        }

        if (report.Propagation.Active)
        {
            changed |= RaiseOrEscalate(AlarmKind.Propagation, report.RackId, null, HazardLevel.Warning, report.Propagation.Detail!, report.At);
        }

        foreach (var alarm in state.Alarms.Where(a => a.IsActive && a.RackId == report.RackId && a.Kind != AlarmKind.SensorFault).ToList())
        {
            var causeGone = alarm.Kind == AlarmKind.ModuleHazard ? !hazards.ContainsKey(alarm.ModuleId!) : !report.Propagation.Active;
            if (causeGone)
            {
                var clearedAt = _clock.GetUtcNow();
                Replace(alarm, alarm with { State = AlarmState.Cleared, ClearedAt = clearedAt, UpdatedAt = clearedAt });
                changed = true;
            }
        }

        if (changed)
        {
            TrimCleared();
        }

        return changed;
    }

    private bool RaiseOrEscalate(AlarmKind kind, string rackId, string? moduleId, HazardLevel level, string reason, DateTimeOffset at)
    {
        var active = state.Alarms.Find(a => a.IsActive && a.Kind == kind && a.RackId == rackId && a.ModuleId == moduleId);
        if (active is null)
        {
            var id = state.NextAlarmId();
            var now = _clock.GetUtcNow();
            var alarm = new Alarm(id, kind, rackId, moduleId, level, level, AlarmState.Open, reason, now, now, CauseSeenAt: at);
            state.Alarms.Add(alarm);
            raised?.Invoke(alarm);
            return true;
        }

        if (level == active.Level)
        {
            return false;
        }

        var escalated = level > active.PeakLevel;
        Replace(active, active with
        {
            Level = level,
            PeakLevel = escalated ? level : active.PeakLevel,
            State = escalated ? AlarmState.Open : active.State,
            Reason = reason,
            UpdatedAt = _clock.GetUtcNow(),
        });
        return true;
    }

    private void Replace(Alarm old, Alarm updated) => state.Alarms[state.Alarms.IndexOf(old)] = updated;

    /// <summary>Drops the oldest cleared alarms beyond the number kept.</summary>
    public void TrimCleared()
    {
        var cleared = state.Alarms.Where(a => a.State == AlarmState.Cleared).ToList();
        foreach (var alarm in cleared.OrderBy(a => a.ClearedAt).Take(Math.Max(0, cleared.Count - clearedAlarmsKept)))
        {
            state.Alarms.Remove(alarm);
        }
    }
}
