using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Simulation.Dataset.Site;

/// <summary>The label of one site row: 0 or 1, where it came from, the alarm behind it; excluded rows are not written.</summary>
public readonly record struct SiteRowLabel(int Label, string Source, string? AlarmId, bool Excluded);

/// <summary>
/// Operators' verdicts as row labels. An alarm labels the rows of its modules from <see cref="Before"/> before its cause
/// was first seen to <see cref="After"/> after (sensor time):
/// <list type="bullet">
/// <item>test: the rows of the alarm's modules (the rack's, for an alarm without a module) are left out of the dataset;</item>
/// <item>true alarm: the module the alarm names → 1 (<see cref="SiteLabelSource.TrueAlarm"/>); its event's other modules → unjudged;</item>
/// <item>false alarm: the module it names and its event's other modules (the rack's, without a module) → 0, confidently;</item>
/// <item>no verdict: → 0 flagged <see cref="SiteLabelSource.UnjudgedAlarm"/>;</item>
/// <item>every other row → 0, <see cref="SiteLabelSource.NoAlarm"/>.</item>
/// </list>
/// Where windows overlap the stronger wins: test, true, unjudged, false, none. Verdicts on sensor-fault advisories
/// say nothing of a hazard: only their test verdict counts (its rows are left out).
/// </summary>
public sealed class SiteLabeler
{
    private readonly Dictionary<string, List<SiteAlarm>> _byRack = new(StringComparer.Ordinal);

    public SiteLabeler(IEnumerable<SiteAlarm> alarms, TimeSpan before, TimeSpan after)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentOutOfRangeException.ThrowIfNegative(before.Ticks, nameof(before));
        ArgumentOutOfRangeException.ThrowIfNegative(after.Ticks, nameof(after));
        (Before, After) = (before, after);
        Alarms = [.. alarms];
        foreach (var alarm in Alarms)
        {
            if (!_byRack.TryGetValue(alarm.RackId, out var list))
            {
                _byRack[alarm.RackId] = list = [];
            }

            list.Add(alarm);
        }
    }

    public TimeSpan Before { get; }

    public TimeSpan After { get; }

    public IReadOnlyList<SiteAlarm> Alarms { get; }

    /// <summary>The label of <paramref name="moduleId"/>'s row at <paramref name="at"/> in <paramref name="rackId"/>.</summary>
    public SiteRowLabel Label(string moduleId, string rackId, DateTimeOffset at)
    {
        var best = new SiteRowLabel(0, SiteLabelSource.NoAlarm, null, Excluded: false);
        var bestRank = 0;
        if (!_byRack.TryGetValue(rackId, out var alarms))
        {
            return best;
        }

        foreach (var alarm in alarms)
        {
            if (at < alarm.CauseSeenAt - Before || at > alarm.CauseSeenAt + After || Judge(alarm, moduleId) is not { } label)
            {
                continue;
            }

            var rank = Rank(label);
            if (rank > bestRank)
            {
                (best, bestRank) = (label, rank);
            }
        }

        return best;
    }

    /// <summary>Whether a true alarm of <paramref name="rackId"/> labels any of its rows between the two times.</summary>
    public bool HasTrueAlarm(string rackId, DateTimeOffset from, DateTimeOffset to) =>
        _byRack.TryGetValue(rackId, out var alarms) && alarms.Exists(a =>
            a.Verdict == AlarmVerdict.TrueAlarm && a.Kind != AlarmKind.SensorFault && a.ModuleId is not null
            && a.CauseSeenAt + After >= from && a.CauseSeenAt - Before < to);

    private static SiteRowLabel? Judge(SiteAlarm alarm, string moduleId)
    {
        var named = alarm.ModuleId == moduleId;
        var involved = alarm.ModuleId is null || named || alarm.AffectedModules.Contains(moduleId, StringComparer.Ordinal);
        if (!involved)
        {
            return null;
        }

        if (alarm.Verdict == AlarmVerdict.Test)
        {
            return new SiteRowLabel(0, "test", alarm.AlarmId, Excluded: true);
        }

        if (alarm.Kind == AlarmKind.SensorFault)
        {
            return null;
        }

        return alarm.Verdict switch
        {
            AlarmVerdict.TrueAlarm when named => new SiteRowLabel(1, SiteLabelSource.TrueAlarm, alarm.AlarmId, false),
            AlarmVerdict.FalseAlarm => new SiteRowLabel(0, SiteLabelSource.FalseAlarm, alarm.AlarmId, false),
            _ => new SiteRowLabel(0, SiteLabelSource.UnjudgedAlarm, alarm.AlarmId, false),
        };
    }

    private static int Rank(SiteRowLabel label) => label.Excluded ? 4 : label.Source switch
    {
        SiteLabelSource.TrueAlarm => 3,
        SiteLabelSource.UnjudgedAlarm => 2,
        SiteLabelSource.FalseAlarm => 1,
        _ => 0,
    };
}
