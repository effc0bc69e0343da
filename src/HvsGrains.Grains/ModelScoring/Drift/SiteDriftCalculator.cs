namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>Adds up the silos' counts for one model and judges every feature of every window against its baseline.</summary>
public static class SiteDriftCalculator
{
    public static IReadOnlyList<DriftWindowView> Windows(FeatureBaseline baseline, IReadOnlyList<SiloDriftReport> reports, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(reports);
        var names = reports.SelectMany(r => r.Windows).Select(w => (w.Window, w.Length)).Distinct().OrderBy(w => w.Length).ToList();
        var views = new List<DriftWindowView>(names.Count);
        foreach (var (name, length) in names)
        {
            var counts = new long[baseline.Features.Count * FeatureBaseline.MaxBins];
            long readings = 0;
            foreach (var window in reports.SelectMany(r => r.Windows).Where(w => w.Window == name && w.Counts.Length == counts.Length))
            {
                readings += window.Readings;
                for (var i = 0; i < counts.Length; i++)
                {
                    counts[i] += window.Counts[i];
                }
            }

            var features = new FeatureDrift[baseline.Features.Count];
            for (var i = 0; i < features.Length; i++)
            {
                var bins = baseline.Features[i];
                features[i] = Judge(bins, counts.AsSpan(i * FeatureBaseline.MaxBins, bins.Proportions.Length), readings, thresholds);
            }

            views.Add(new DriftWindowView(name, length, readings, features));
        }

        return views;
    }

    public static FeatureDrift Judge(FeatureBins feature, ReadOnlySpan<long> counts, long readings, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (readings <= 0)
        {
            return new FeatureDrift(feature.Name, null, null, DriftVerdict.InsufficientData, counts.ToArray(), feature.Proportions);
        }

        var psi = DriftStatistics.Psi(feature.Proportions, counts, readings);
        var ks = DriftStatistics.Ks(feature.Proportions, counts, readings);
        return new FeatureDrift(feature.Name, Math.Round(psi, 6), Math.Round(ks, 6), DriftStatistics.Verdict(psi, ks, readings, thresholds),
            counts.ToArray(), feature.Proportions);
    }
}
