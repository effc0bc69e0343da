using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// Names what changed between two versions of the alarm list (and two reports of a rack) as webhook events, so the
/// warehouse needs no notice from the alarm code itself: whatever the alarm book does, the difference is the news.
/// </summary>
public static class AlarmChanges
{
    public static IEnumerable<(string Type, Alarm Alarm)> Between(IReadOnlyList<Alarm> before, IReadOnlyList<Alarm> after, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var old = new Dictionary<string, Alarm>(before.Count, StringComparer.Ordinal);
        foreach (var alarm in before)
        {
            old[alarm.Id] = alarm;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alarm in after)
        {
            seen.Add(alarm.Id);
            if (!old.TryGetValue(alarm.Id, out var was))
            {
                yield return (WebhookEventTypes.AlarmRaised, alarm);
            }
            else if (ReferenceEquals(was, alarm))
            {
                continue;
            }
            else if (alarm.State == AlarmState.Cleared && was.State != AlarmState.Cleared)
            {
                yield return (WebhookEventTypes.AlarmCleared, alarm);
            }
            else if (alarm.PeakLevel > was.PeakLevel)
            {
                yield return (WebhookEventTypes.AlarmEscalated, alarm);
            }
            else if (alarm.State == AlarmState.Acknowledged && was.State != AlarmState.Acknowledged)
            {
                yield return (WebhookEventTypes.AlarmAcknowledged, alarm);
            }
        }

        // An active alarm gone from the list was cleared and trimmed in the same change.
        foreach (var alarm in before.Where(a => a.IsActive && !seen.Contains(a.Id)))
        {
            yield return (WebhookEventTypes.AlarmCleared, alarm with { State = AlarmState.Cleared, ClearedAt = now, UpdatedAt = now });
        }
    }

    /// <summary>Modules whose level differs between the rack's previous and current report (a module absent from the alerts is Normal).</summary>
    public static IEnumerable<ModuleLevelChange> ModuleLevels(RackReport? previous, RackReport current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var was = previous?.Alerts.ToDictionary(a => a.ModuleId, StringComparer.Ordinal) ?? [];
        foreach (var alert in current.Alerts)
        {
            var from = was.Remove(alert.ModuleId, out var old) ? old.Level : HazardLevel.Normal;
            if (from != alert.Level)
            {
                yield return new ModuleLevelChange(alert.ModuleId, current.RackId, from, alert.Level, alert.Reason, alert.At);
            }
        }

        foreach (var old in was.Values.Where(a => a.Level != HazardLevel.Normal).OrderBy(a => a.ModuleId, StringComparer.Ordinal))
        {
            yield return new ModuleLevelChange(old.ModuleId, current.RackId, old.Level, HazardLevel.Normal, null, current.At);
        }
    }
}
