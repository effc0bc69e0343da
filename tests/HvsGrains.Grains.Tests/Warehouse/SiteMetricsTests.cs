using System.Diagnostics.Metrics;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Warehouse;

/// <summary>The site's gauges and alarm counter, fed from the warehouse grain's tally and alarm book.</summary>
public sealed class SiteMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, Dictionary<string, string?> Tags)> _measurements = [];

    public SiteMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        _listener.Start();
    }

    [Fact]
    public void A_new_rack_report_replaces_the_racks_old_counts()
    {
        var tally = new SiteTally();
        var first = Report("RackA1", 8, ("M1", HazardLevel.Watch));
        tally.Replace(null, first);
        tally.Replace(null, Report("RackA2", 8));
        Assert.Equal([15, 1, 0, 0], tally.ModulesByLevel());
        Assert.Equal(HazardLevel.Watch, tally.Level);

        tally.Replace(first, Report("RackA1", 8, ("M1", HazardLevel.Critical), ("M2", HazardLevel.Warning)));
        Assert.Equal([14, 0, 1, 1], tally.ModulesByLevel());
        Assert.Equal(HazardLevel.Critical, tally.Level);
    }

    [Fact]
    public void The_gauges_report_the_published_picture_and_zeros_once_withdrawn_and_raised_alarms_are_counted()
    {
        var metrics = new SiteMetrics(_meters);
        var state = new WarehouseState();
        var book = new AlarmBook(state, clearedAlarmsKept: 10, metrics.AlarmRaised);
        var tally = new SiteTally();
        var report = Report("RackA1", 8, ("M1", HazardLevel.Critical), ("M2", HazardLevel.Warning));
        tally.Replace(null, report);
        book.Reconcile(report);
        new AlarmDesk(state, verdictsKept: 10).Acknowledge("ALM-000002", new Acknowledgement("operator-key", "Dana"), T0);
        metrics.Publish(SitePicture.Of("north", tally, state.Alarms));

        _listener.RecordObservableInstruments();
        Assert.Equal(3, Value("hvs.site.level", ("site", "north")));
        Assert.Equal(6, Value("hvs.site.modules", ("site", "north"), ("level", "Normal")));
        Assert.Equal(1, Value("hvs.site.modules", ("site", "north"), ("level", "Critical")));
        Assert.Equal(1, Value("hvs.site.alarms.active", ("severity", "Critical"), ("state", "open")));
        Assert.Equal(1, Value("hvs.site.alarms.active", ("severity", "Warning"), ("state", "acknowledged")));
        Assert.Equal(0, Value("hvs.site.alarms.active", ("severity", "Warning"), ("state", "open")));
        Assert.Equal(2, _measurements.Where(m => m.Instrument == "hvs.alarms.raised").Sum(m => m.Value));
        Assert.DoesNotContain(_measurements, m => m.Tags.Values.Any(v => v is "M1" or "M2" or "RackA1"));

        metrics.Withdraw("north");
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        Assert.Equal(0, Value("hvs.site.level", ("site", "north")));
        Assert.Equal(0, Value("hvs.site.modules", ("site", "north"), ("level", "Normal")));
        Assert.Equal(0, Value("hvs.site.alarms.active", ("severity", "Critical"), ("state", "open")));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private static RackReport Report(string rackId, int modules, params (string Module, HazardLevel Level)[] alerts) => new(
        rackId,
        alerts.Length == 0 ? HazardLevel.Normal : alerts.Max(a => a.Level),
        modules,
        null,
        null,
        PropagationRisk.None,
        alerts.Select(a => new ModuleAlert(a.Module, a.Level, $"{a.Module} at {a.Level}", T0)).ToList(),
        T0);

    private long Value(string instrument, params (string Key, string Value)[] tags) =>
        Assert.Single(_measurements, m => m.Instrument == instrument && tags.All(t => m.Tags.GetValueOrDefault(t.Key) == t.Value)).Value;

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Add((instrument.Name, value, copy));
    }
}
