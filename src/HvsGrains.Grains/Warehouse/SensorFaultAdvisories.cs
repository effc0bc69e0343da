using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// Sensor-fault advisories in the alarm list: one per module with channels at fault, at Watch (below
/// every hazard alarm), raised and cleared with the rack's reports. Kept apart from <see cref="AlarmBook"/>:
/// an advisory is about a sensor, not a hazard, and never escalates.
/// </summary>
public sealed class SensorFaultAdvisories(WarehouseState state, Action<Alarm>? raised = null, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>Brings the advisories of one rack in line with its report; true when any changed.</summary>
    public bool Reconcile(RackReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = _clock.GetUtcNow();
        var changed = false;
        var faults = (report.SensorFaults ?? []).ToDictionary(f => f.ModuleId, StringComparer.Ordinal);
        foreach (var fault in faults.Values)
        {
            var reason = $"Sensor fault: {string.Join(", ", fault.Channels)} sent implausible values; they are imputed, the module's other channels are used as measured";
            var active = state.Alarms.Find(a => a.IsActive && a.Kind == AlarmKind.SensorFault && a.RackId == report.RackId && a.ModuleId == fault.ModuleId);
            if (active is null)
            {
                var advisory = new Alarm(state.NextAlarmId(), AlarmKind.SensorFault, report.RackId, fault.ModuleId, HazardLevel.Watch, HazardLevel.Watch,
                    AlarmState.Open, reason, now, now, CauseSeenAt: fault.At);
                state.Alarms.Add(advisory);
                raised?.Invoke(advisory);
                changed = true;
            }
            else if (active.Reason != reason)
            {
                state.Alarms[state.Alarms.IndexOf(active)] = active with { Reason = reason, UpdatedAt = now };
                changed = true;
            }
        }

        foreach (var gone in state.Alarms.Where(a => a.IsActive && a.Kind == AlarmKind.SensorFault && a.RackId == report.RackId && !faults.ContainsKey(a.ModuleId!)).ToList())
        {
            state.Alarms[state.Alarms.IndexOf(gone)] = gone with { State = AlarmState.Cleared, ClearedAt = now, UpdatedAt = now };
            changed = true;
        }

        return changed;
    }
}
