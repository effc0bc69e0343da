using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// One silo's comparison of a shadow trial since its last report: the module grains add to it as they judge readings
/// (a lock held for a few additions), <see cref="ShadowReporter"/> drains it to the trial's comparison grain every
/// few seconds, so the site learns of every reading without a message per reading.
/// </summary>
public sealed class ShadowTally(string trial)
{
    /// <summary>Differences one report carries at most (the newest); the trial's grain keeps its own bound.</summary>
    public const int DifferencesPerReport = 100;

    private readonly Lock _lock = new();
    private readonly List<ShadowDifference> _differences = [];
    private readonly Dictionary<string, ModuleAlarmTimes> _alarmTimes = new(StringComparer.Ordinal);
    private long _compared, _sameLevel, _sameAlarm, _activeOnly, _shadowOnly, _differencesSeen;

    /// <summary>The key of the trial's <see cref="IShadowComparisonGrain"/>.</summary>
    public string Trial { get; } = trial;

    /// <summary>Counts one reading judged by both models.</summary>
    public void Count(HazardLevel active, HazardLevel shadow)
    {
        var (activeAlarms, shadowAlarms) = (active >= HazardLevel.Warning, shadow >= HazardLevel.Warning);
        lock (_lock)
        {
            _compared++;
            _sameLevel += active == shadow ? 1 : 0;
            _sameAlarm += activeAlarms == shadowAlarms ? 1 : 0;
            _activeOnly += activeAlarms && !shadowAlarms ? 1 : 0;
            _shadowOnly += shadowAlarms && !activeAlarms ? 1 : 0;
        }
    }

    /// <summary>Keeps a difference; beyond the bound of one report the newest are kept and the rest only counted.</summary>
    public void Differ(ShadowDifference difference)
    {
        lock (_lock)
        {
            _differencesSeen++;
            if (_differences.Count == DifferencesPerReport)
            {
                _differences.RemoveAt(0);
            }

            _differences.Add(difference);
        }
    }

    public void Reached(ModuleAlarmTimes times)
    {
        ArgumentNullException.ThrowIfNull(times);
        lock (_lock)
        {
            _alarmTimes[times.ModuleId] = _alarmTimes.TryGetValue(times.ModuleId, out var known) ? known.Merge(times) : times;
        }
    }

    /// <summary>What was tallied since the last drain, emptying the tally; null when nothing was.</summary>
    public ShadowTallyReport? Drain(string silo, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_compared == 0 && _differencesSeen == 0 && _alarmTimes.Count == 0)
            {
                return null;
            }

            var report = new ShadowTallyReport(silo, at, new ShadowCounts(_compared, _sameLevel, _sameAlarm, _activeOnly, _shadowOnly),
                [.. _differences], _differencesSeen, [.. _alarmTimes.Values]);
            _compared = _sameLevel = _sameAlarm = _activeOnly = _shadowOnly = _differencesSeen = 0;
            _differences.Clear();
            _alarmTimes.Clear();
            return report;
        }
    }

    /// <summary>Puts back a report the comparison grain did not take (it was moving), to go with the next one.</summary>
    public void Restore(ShadowTallyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            var c = report.Counts;
            (_compared, _sameLevel, _sameAlarm, _activeOnly, _shadowOnly) =
                (_compared + c.Compared, _sameLevel + c.SameLevel, _sameAlarm + c.SameAlarm, _activeOnly + c.AlarmedByActiveOnly, _shadowOnly + c.AlarmedByShadowOnly);
            _differencesSeen += report.DifferencesSeen;
            _differences.InsertRange(0, report.Differences.TakeLast(Math.Max(0, DifferencesPerReport - _differences.Count)));
            foreach (var times in report.AlarmTimes)
            {
                _alarmTimes[times.ModuleId] = _alarmTimes.TryGetValue(times.ModuleId, out var known) ? known.Merge(times) : times;
            }
        }
    }
}
