using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The site's instruments on the "HvsGrains.Warehouse" meter. The gauges are observed from the picture the
/// warehouse grain last published on this silo, so only the silo holding the grain reports them (others report
/// zeros once it has left) and a scrape never calls a grain.
/// </summary>
public sealed class SiteMetrics
{
    public const string MeterName = "HvsGrains.Warehouse";

    private static readonly HazardLevel[] Levels = Enum.GetValues<HazardLevel>();
    private static readonly HazardLevel[] AlarmLevels = [HazardLevel.Warning, HazardLevel.Critical];
    private readonly ConcurrentDictionary<string, SitePicture> _pictures = new(StringComparer.Ordinal);
    private readonly Counter<long> _alarmsRaised;

    public SiteMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("hvs.site.level", ObserveLevel, "{level}", "The site's hazard level: 0 Normal, 1 Watch, 2 Warning, 3 Critical");
        meter.CreateObservableGauge("hvs.site.modules", ObserveModules, "{module}", "Modules of the site at each hazard level");
        meter.CreateObservableGauge("hvs.site.alarms.active", ObserveAlarms, "{alarm}", "Active alarms by severity and state (open or acknowledged)");
        _alarmsRaised = meter.CreateCounter<long>("hvs.alarms.raised", "{alarm}", "Alarms raised, by severity at raising and kind");
    }

    public void Publish(SitePicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        _pictures[picture.SiteId] = picture;
    }

    /// <summary>
    /// The grain left this silo: its series drop to zero here (exporters keep every series they have seen, so
    /// removing them would leave the last values standing beside the new silo's).
    /// </summary>
    public void Withdraw(string siteId) => _pictures[siteId] = SitePicture.Empty(siteId);

    public void AlarmRaised(Alarm alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        _alarmsRaised.Add(1, new KeyValuePair<string, object?>("severity", alarm.Level.ToString()), new KeyValuePair<string, object?>("kind", alarm.Kind.ToString()));
    }

    private static KeyValuePair<string, object?> Site(SitePicture picture) => new("site", picture.SiteId);

    private IEnumerable<Measurement<int>> ObserveLevel() =>
        _pictures.Values.Select(p => new Measurement<int>((int)p.Level, Site(p)));

    private IEnumerable<Measurement<int>> ObserveModules() =>
        _pictures.Values.SelectMany(p => Levels.Select(level =>
            new Measurement<int>(p.ModulesByLevel[(int)level], Site(p), new("level", level.ToString()))));

    private IEnumerable<Measurement<int>> ObserveAlarms() =>
        _pictures.Values.SelectMany(p => AlarmLevels.SelectMany(level => new[]
        {
            new Measurement<int>(p.OpenAlarmsByLevel[(int)level], Site(p), new("severity", level.ToString()), new("state", "open")),
            new Measurement<int>(p.AcknowledgedAlarmsByLevel[(int)level], Site(p), new("severity", level.ToString()), new("state", "acknowledged")),
        }));
}
