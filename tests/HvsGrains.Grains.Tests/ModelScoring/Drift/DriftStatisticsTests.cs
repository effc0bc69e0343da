using HvsGrains.Grains.ModelScoring.Drift;

namespace HvsGrains.Grains.Tests.ModelScoring.Drift;

/// <summary>PSI and KS on bins, against values worked by hand and by scipy.</summary>
public sealed class DriftStatisticsTests
{
    private static readonly DriftThresholds Defaults = new(0.1, 0.25, 0.1, 0.2, 100);

    [Fact]
    public void Psi_and_ks_match_the_hand_computed_and_scipy_values()
    {
        // Baseline 10/20/30/40 %, live 30/20/25/25 of 100 readings.
        // PSI = 0.2·ln 3 + 0 + (−0.05)·ln(25/30) + (−0.15)·ln(25/40) = 0.219722 + 0.009116 + 0.070501 = 0.299339;
        // scipy: entropy(live, base) + entropy(base, live) = 0.29933907996017994.
        // KS: CDF gaps at the three edges |0.3 − 0.1|, |0.5 − 0.3|, |0.75 − 0.6| → 0.2.
        double[] baseline = [0.1, 0.2, 0.3, 0.4];
        long[] live = [30, 20, 25, 25];

        Assert.Equal(0.29933907996017994, DriftStatistics.Psi(baseline, live, 100), 12);
        Assert.Equal(0.2, DriftStatistics.Ks(baseline, live, 100), 12);
    }

    [Fact]
    public void Identical_distributions_give_zero()
    {
        double[] baseline = [0.05, 0.45, 0.5];
        long[] live = [5, 45, 50];

        Assert.Equal(0, DriftStatistics.Psi(baseline, live, 100), 12);
        Assert.Equal(0, DriftStatistics.Ks(baseline, live, 100), 12);
    }

    [Fact]
    public void An_empty_bin_on_either_side_is_floored_not_infinite()
    {
        // Base 50/50/0, live 0/50/50: both empty bins count as 1e-4.
        // PSI = 2 · (0.5 − 0.0001) · ln(0.5 / 0.0001) = 8.515489752777953 (numpy, same floor); KS = 0.5 at the first edge.
        double[] baseline = [0.5, 0.5, 0.0];
        long[] live = [0, 50, 50];

        Assert.Equal(8.515489752777953, DriftStatistics.Psi(baseline, live, 100), 10);
        Assert.Equal(0.5, DriftStatistics.Ks(baseline, live, 100), 12);
    }

    [Fact]
    public void Bins_of_different_lengths_or_no_readings_are_refused()
    {
        Assert.Throws<ArgumentException>(() => DriftStatistics.Psi([0.5, 0.5], [1, 2, 3], 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftStatistics.Ks([0.5, 0.5], [0, 0], 0));
    }

    [Theory]
    [InlineData(0.05, 0.05, 1000, DriftVerdict.Stable)]
    [InlineData(0.1, 0.05, 1000, DriftVerdict.Moderate)] // PSI 0.1 is moderate
    [InlineData(0.25, 0.05, 1000, DriftVerdict.Moderate)] // drifted only above 0.25
    [InlineData(0.26, 0.05, 1000, DriftVerdict.Drifted)]
    [InlineData(0.05, 0.1, 1000, DriftVerdict.Moderate)]
    [InlineData(0.05, 0.21, 1000, DriftVerdict.Drifted)] // KS alone is enough
    [InlineData(5.0, 0.9, 99, DriftVerdict.InsufficientData)] // below MinReadings: no verdict
    public void Verdicts_follow_the_stated_bands(double psi, double ks, long readings, DriftVerdict expected) =>
        Assert.Equal(expected, DriftStatistics.Verdict(psi, ks, readings, Defaults));

    [Fact]
    public void Bins_are_closed_on_the_right()
    {
        var bins = new FeatureBins("x", [0, 10, 20], [0.25, 0.25, 0.25, 0.25]);

        Assert.Equal([0, 0, 1, 1, 2, 3, 3], new[] { -5.0, 0, 0.001, 10, 19.9, 20.0001, 1e9 }.Select(bins.Bin));
    }
}
