using HvsGrains.Grains.Warehouse;
using HvsGrains.Simulation.Dataset.Site;

namespace HvsGrains.Silo.Export;

/// <summary>
/// The alarms whose verdicts (or lack of one) label a site export: the warehouse's alarms still kept, and the verdicts
/// kept after their alarms were trimmed (<c>Hvs:Warehouse:VerdictsKept</c>). An alarm's newest verdict counts.
/// </summary>
internal static class SiteAlarms
{
    public static async Task<List<SiteAlarm>> ReadAsync(IWarehouseGrain warehouse)
    {
        var alarms = await warehouse.GetAlarms(null, null);
        var verdicts = await warehouse.GetVerdicts(null);
        var newest = new Dictionary<string, AlarmVerdictRecord>(StringComparer.Ordinal);
        foreach (var record in verdicts)
        {
            newest.TryAdd(record.AlarmId, record); // newest first
        }

        var result = new List<SiteAlarm>();
        foreach (var alarm in alarms)
        {
            newest.Remove(alarm.Id, out var record);
            if ((alarm.CauseSeenAt ?? record?.CauseSeenAt) is { } cause)
            {
                result.Add(new SiteAlarm(alarm.Id, alarm.Kind, alarm.RackId, alarm.ModuleId, alarm.AffectedModules, cause, alarm.Verdict ?? record?.Verdict));
            }
        }

        foreach (var record in newest.Values)
        {
            if (record.CauseSeenAt is { } cause)
            {
                result.Add(new SiteAlarm(record.AlarmId, record.Kind, record.RackId, record.ModuleId, [], cause, record.Verdict));
            }
        }

        return result;
    }
}
