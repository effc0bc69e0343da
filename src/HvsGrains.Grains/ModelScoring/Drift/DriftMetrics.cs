using System.Diagnostics.Metrics;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// The site's drift on the "HvsGrains.Drift" meter, as this silo last heard it from the site's drift grain: PSI and
/// KS per feature and window (79 features × 2 windows: bounded), the readings per window, and the advisory (0/1).
/// Every silo exports the same site figures; alert rules take the max per site.
/// </summary>
public sealed class DriftMetrics
{
    public const string MeterName = "HvsGrains.Drift";

    public DriftMetrics(IMeterFactory meterFactory, DriftReporter reporter)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(reporter);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("hvs.model.drift.psi", () => PerFeature(reporter.Latest, f => f.Psi), unit: null,
            "Population stability index of a model input feature against the model's training baseline, per window");
        meter.CreateObservableGauge("hvs.model.drift.ks", () => PerFeature(reporter.Latest, f => f.Ks), unit: null,
            "Kolmogorov-Smirnov statistic (largest CDF gap at the baseline's bin edges) of a model input feature, per window");
        meter.CreateObservableGauge("hvs.model.drift.window.readings", () => Readings(reporter.Latest), "{reading}",
            "Readings of the site in a drift window");
        meter.CreateObservableGauge("hvs.model.drift.advisory", () => Advisory(reporter.Latest), unit: null,
            "1 while the site has a model input drift advisory (never a hazard), else 0");
    }

    private static IEnumerable<Measurement<double>> PerFeature(ModelDriftView? view, Func<FeatureDrift, double?> statistic) =>
        view is null ? [] : view.Windows.SelectMany(w => w.Features.Where(f => statistic(f).HasValue).Select(f => new Measurement<double>(statistic(f)!.Value,
            new KeyValuePair<string, object?>("site", view.SiteId), new KeyValuePair<string, object?>("window", w.Window),
            new KeyValuePair<string, object?>("feature", f.Feature))));

    private static IEnumerable<Measurement<long>> Readings(ModelDriftView? view) =>
        view is null ? [] : view.Windows.Select(w => new Measurement<long>(w.Readings,
            new KeyValuePair<string, object?>("site", view.SiteId), new KeyValuePair<string, object?>("window", w.Window)));

    private static IEnumerable<Measurement<int>> Advisory(ModelDriftView? view) =>
        view is null ? [] : [new Measurement<int>(view.Advisory is null ? 0 : 1, new KeyValuePair<string, object?>("site", view.SiteId))];
}
