using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// What the warehouse grain last knew of its site, in counts: its level, modules per hazard level and
/// active alarms per severity and state. Immutable, so the metrics can read it from any thread.
/// </summary>
/// <param name="SiteId">The warehouse grain's key.</param>
/// <param name="Level">The site's level: the highest of its racks.</param>
/// <param name="ModulesByLevel">Modules at each <see cref="HazardLevel"/>, indexed by the level.</param>
/// <param name="OpenAlarmsByLevel">Open (unacknowledged) active alarms, indexed by their level.</param>
/// <param name="AcknowledgedAlarmsByLevel">Acknowledged active alarms, indexed by their level.</param>
public sealed record SitePicture(
    string SiteId,
    HazardLevel Level,
    IReadOnlyList<int> ModulesByLevel,
    IReadOnlyList<int> OpenAlarmsByLevel,
    IReadOnlyList<int> AcknowledgedAlarmsByLevel)
{
    private static readonly int Levels = Enum.GetValues<HazardLevel>().Length;

    /// <summary>All counts zero, level Normal: what a silo reports for a site whose grain it no longer holds.</summary>
    public static SitePicture Empty(string siteId) => new(siteId, HazardLevel.Normal, new int[Levels], new int[Levels], new int[Levels]);

    public static SitePicture Of(string siteId, SiteTally tally, IEnumerable<Alarm> alarms)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(alarms);
        var open = new int[Levels];
        var acknowledged = new int[Levels];
        foreach (var alarm in alarms)
        {
            if (alarm.State == AlarmState.Open)
            {
                open[(int)alarm.Level]++;
            }
            else if (alarm.State == AlarmState.Acknowledged)
            {
                acknowledged[(int)alarm.Level]++;
            }
        }

        return new SitePicture(siteId, tally.Level, tally.ModulesByLevel(), open, acknowledged);
    }

    /// <summary>The same alarm counts with the tally's new level and module counts.</summary>
    public SitePicture With(SiteTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return this with { Level = tally.Level, ModulesByLevel = tally.ModulesByLevel() };
    }
}
