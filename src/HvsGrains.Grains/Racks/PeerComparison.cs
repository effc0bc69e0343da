using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// What peer comparison needs of one module: its hottest surface, how much that rose over the last
/// ten minutes (value minus its 10-minute mean), and its voltage. Null when the sensor has not reported.
/// </summary>
public readonly record struct PeerSample(double? MaxSurfaceTempC, double? RiseC, double? VoltageV)
{
    /// <summary>The sample of a module's current features: the same figures in training (dataset writer) and serving (rack grain).</summary>
    public static PeerSample From(FeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var temp = features.IsObserved(SensorChannel.MaxSurfaceTemp) ? features.Value(SensorChannel.MaxSurfaceTemp) : (double?)null;
        var rise = temp is { } t ? t - features.RollingMean(SensorChannel.MaxSurfaceTemp, 10) : (double?)null;
        var voltage = features.IsObserved(SensorChannel.Voltage) ? features.Value(SensorChannel.Voltage) : (double?)null;
        return new PeerSample(temp, rise, voltage);
    }
}

/// <summary>
/// A module against the median of its rack's other modules. Positive means hotter, rising faster,
/// sagging more than its peers. Null when fewer than <see cref="PeerComparison.MinPeers"/> peers report it.
/// </summary>
public readonly record struct PeerDeviation(double? TempAboveMedianC, double? RiseAboveMedianC, double? VoltageSagPercent)
{
    public static PeerDeviation None { get; } = new(null, null, null);
}

/// <summary>
/// Compares each module of a rack with its peers: the modules in the same air and, in series, under the
/// same current. A module heating while its peers do not is the precursor of an internal short; a rack
/// warming together (HVAC failure, heatwave, high load) moves the median with it and deviates nobody.
/// The median of the others (leave one out), so the module at fault never pulls its own yardstick.
/// Used by the rack grain and by the dataset writer, so training and serving compute the same figures.
/// </summary>
public static class PeerComparison
{
    /// <summary>Fewer peers than this give no median worth comparing with.</summary>
    public const int MinPeers = 3;

    /// <summary>Names of the peer figures as dataset columns, in <see cref="PeerDeviation"/> order.</summary>
    public static IReadOnlyList<string> FeatureNames { get; } =
        ["Peer_Max_Surface_Above_Median_C", "Peer_Rise_10m_Above_Median_C", "Peer_Voltage_Sag_Percent"];

    /// <summary>The deviation of every module from the others; <paramref name="deviations"/> as long as <paramref name="modules"/>.</summary>
    public static void Compare(ReadOnlySpan<PeerSample> modules, Span<PeerDeviation> deviations)
    {
        if (deviations.Length != modules.Length)
        {
            throw new ArgumentException("One deviation per module.", nameof(deviations));
        }

        Span<double> scratch = modules.Length <= 64 ? stackalloc double[modules.Length] : new double[modules.Length];
        for (var i = 0; i < modules.Length; i++)
        {
            var self = modules[i];
            var tempMedian = MedianOfOthers(modules, i, static s => s.MaxSurfaceTempC, scratch);
            var riseMedian = MedianOfOthers(modules, i, static s => s.RiseC, scratch);
            var voltageMedian = MedianOfOthers(modules, i, static s => s.VoltageV, scratch);
            deviations[i] = new PeerDeviation(
                self.MaxSurfaceTempC - tempMedian,
                self.RiseC - riseMedian,
                voltageMedian is > 0 && self.VoltageV is { } v ? (voltageMedian - v) / voltageMedian * 100 : null);
        }
    }

    /// <summary>Convenience for callers with a list.</summary>
    public static PeerDeviation[] Compare(IReadOnlyList<PeerSample> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var samples = modules.ToArray();
        var deviations = new PeerDeviation[samples.Length];
        Compare(samples, deviations);
        return deviations;
    }

    private static double? MedianOfOthers(ReadOnlySpan<PeerSample> modules, int self, Func<PeerSample, double?> figure, Span<double> scratch)
    {
        var count = 0;
        for (var j = 0; j < modules.Length; j++)
        {
            if (j != self && figure(modules[j]) is { } value && double.IsFinite(value))
            {
                scratch[count++] = value;
            }
        }

        if (count < MinPeers)
        {
            return null;
        }

        var values = scratch[..count];
        values.Sort();
        return count % 2 == 1 ? values[count / 2] : (values[(count / 2) - 1] + values[count / 2]) / 2;
    }
}
