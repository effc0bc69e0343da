namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// PSI and KS of live bin counts against baseline proportions. Written by hand: no .NET package computes PSI, and
/// the KS statistic here is on bins (the live values themselves are never kept).
/// </summary>
public static class DriftStatistics
{
    /// <summary>
    /// Proportions are floored at this before PSI's logarithm, so an empty bin on either side counts as 0.01 % instead
    /// of infinity (the common convention).
    /// </summary>
    public const double ProportionFloor = 1e-4;

    /// <summary>Population stability index: Σ (live − base) · ln(live / base) over the bins.</summary>
    public static double Psi(ReadOnlySpan<double> baseline, ReadOnlySpan<long> counts, long total)
    {
        if (baseline.Length != counts.Length)
        {
            throw new ArgumentException($"{counts.Length} live bins for {baseline.Length} baseline bins.", nameof(counts));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        var psi = 0.0;
        for (var i = 0; i < baseline.Length; i++)
        {
            var expected = Math.Max(baseline[i], ProportionFloor);
            var actual = Math.Max((double)counts[i] / total, ProportionFloor);
            psi += (actual - expected) * Math.Log(actual / expected);
        }

        return psi;
    }

    /// <summary>Kolmogorov–Smirnov statistic on the bins: the largest gap between the two CDFs at the bin edges.</summary>
    public static double Ks(ReadOnlySpan<double> baseline, ReadOnlySpan<long> counts, long total)
    {
        if (baseline.Length != counts.Length)
        {
            throw new ArgumentException($"{counts.Length} live bins for {baseline.Length} baseline bins.", nameof(counts));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        double expected = 0, actual = 0, ks = 0;
        for (var i = 0; i < baseline.Length - 1; i++)
        {
            expected += baseline[i];
            actual += (double)counts[i] / total;
            ks = Math.Max(ks, Math.Abs(actual - expected));
        }

        return ks;
    }

    public static DriftVerdict Verdict(double psi, double ks, long readings, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (readings < thresholds.MinReadings)
        {
            return DriftVerdict.InsufficientData;
        }

        if (psi > thresholds.PsiDrifted || ks > thresholds.KsDrifted)
        {
            return DriftVerdict.Drifted;
        }

        return psi >= thresholds.PsiModerate || ks >= thresholds.KsModerate ? DriftVerdict.Moderate : DriftVerdict.Stable;
    }
}
