using System.Globalization;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The alarm life cycle over the warehouse's alarm list: raise at Warning, escalate (reopening an
/// acknowledged alarm, since a worse level needs fresh eyes), clear when the cause is gone.
/// <paramref name="raised"/> hears of each new alarm (the metrics count them).
/// </summary>
public sealed class AlarmBook(WarehouseState state, int clearedAlarmsKept, Action<Alarm>? raised = null)
{
    /// <summary>Brings the alarms of one rack in line with its report; true when any alarm changed.</summary>
    public bool Reconcile(RackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var changed = false;
        var rackEvent = report.Event ?? RackEventAlarm.FromAlerts(report);
        if (rackEvent.Level >= HazardLevel.Warning)
        {
            changed |= RaiseOrUpdate(report.RackId, rackEvent);
        }

        if (report.Propagation.Active)
        {
            changed |= RaiseOrEscalate(AlarmKind.Propagation, report.RackId, null, HazardLevel.Warning, report.Propagation.Detail!, report.At);
        }

        foreach (var alarm in state.Alarms.Where(a => a.IsActive && a.RackId == report.RackId).ToList())
        {
            var causeGone = alarm.Kind switch
            {
                AlarmKind.Propagation => !report.Propagation.Active,
                AlarmKind.RackEvent => rackEvent.Level < HazardLevel.Warning,
                _ => true, // a per-module alarm of an earlier release: the rack's event alarm stands for it now
            };
            if (causeGone)
            {
                var clearedAt = alarm.Kind == AlarmKind.RackEvent ? rackEvent.At : report.At;
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

    public AlarmAcknowledgement Acknowledge(string alarmId, string by, DateTimeOffset at)
    {
        var alarm = state.Alarms.Find(a => a.Id == alarmId);
        switch (alarm?.State)
        {
            case null:
                return new(AcknowledgeOutcome.NotFound, null);
            case AlarmState.Cleared:
                return new(AcknowledgeOutcome.AlreadyCleared, alarm);
            case AlarmState.Acknowledged:
                return new(AcknowledgeOutcome.AlreadyAcknowledged, alarm);
            default:
                var acknowledged = alarm with { State = AlarmState.Acknowledged, AcknowledgedBy = by, AcknowledgedAt = at, UpdatedAt = at };
                Replace(alarm, acknowledged);
                return new(AcknowledgeOutcome.Acknowledged, acknowledged);
        }
    }

    /// <summary>One alarm per rack event: raised once, then escalated and updated in place.</summary>
    private bool RaiseOrUpdate(string rackId, RackEvent rackEvent)
    {
        var active = state.Alarms.Find(a => a.IsActive && a.Kind == AlarmKind.RackEvent && a.RackId == rackId);
        if (active is null)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"ALM-{++state.LastAlarmNumber:D6}");
            var alarm = RackEventAlarm.Raise(id, rackId, rackEvent);
            state.Alarms.Add(alarm);
            raised?.Invoke(alarm);
            return true;
        }

        if (RackEventAlarm.Update(active, rackEvent) is not { } updated)
        {
            return false;
        }

        Replace(active, updated);
        return true;
    }

    private bool RaiseOrEscalate(AlarmKind kind, string rackId, string? moduleId, HazardLevel level, string reason, DateTimeOffset at)
    {
        var active = state.Alarms.Find(a => a.IsActive && a.Kind == kind && a.RackId == rackId && a.ModuleId == moduleId);
        if (active is null)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"ALM-{++state.LastAlarmNumber:D6}");
            var alarm = new Alarm(id, kind, rackId, moduleId, level, level, AlarmState.Open, reason, at, at);
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
            UpdatedAt = at,
        });
        return true;
    }

    private void Replace(Alarm old, Alarm updated) => state.Alarms[state.Alarms.IndexOf(old)] = updated;

    private void TrimCleared()
    {
        var cleared = state.Alarms.Where(a => a.State == AlarmState.Cleared).ToList();
        foreach (var alarm in cleared.OrderBy(a => a.ClearedAt).Take(Math.Max(0, cleared.Count - clearedAlarmsKept)))
        {
            state.Alarms.Remove(alarm);
        }
    }
}

[GenerateSerializer, Alias("hvs.acknowledge-outcome")]
public enum AcknowledgeOutcome
{
    Acknowledged,
    AlreadyAcknowledged,
    AlreadyCleared,
    NotFound,
}

[GenerateSerializer, Immutable, Alias("hvs.alarm-acknowledgement")]
public sealed record AlarmAcknowledgement([Id(0)] AcknowledgeOutcome Outcome, [Id(1)] Alarm? Alarm);
