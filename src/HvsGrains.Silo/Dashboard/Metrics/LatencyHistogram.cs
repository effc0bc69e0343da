namespace HvsGrains.Silo.Dashboard.Metrics;

/// <summary>
/// Latencies in exponential buckets (bounds grow by √2 from 1 µs to about 2 minutes), so a window's
/// mean and percentiles can be computed by adding bucket counts, without keeping every value.
/// </summary>
public sealed class LatencyHistogram
{
    private const double FirstBoundMs = 0.001;
    private const int BucketCount = 56;
    private static readonly double[] UpperBounds = Enumerable.Range(0, BucketCount).Select(i => FirstBoundMs * Math.Pow(Math.Sqrt(2), i)).ToArray();

    private readonly long[] _buckets = new long[BucketCount + 1];

    public long Count { get; private set; }

    public double SumMs { get; private set; }

    public void Record(double ms)
    {
        var value = double.IsFinite(ms) && ms > 0 ? ms : 0;
        var index = Array.BinarySearch(UpperBounds, value);
        _buckets[index >= 0 ? index : ~index]++;
        Count++;
        SumMs += value;
    }

    /// <summary>Adds another window's counts to this one.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] += other._buckets[i];
        }

        Count += other.Count;
        SumMs += other.SumMs;
    }

    public LatencyHistogram Copy()
    {
        var copy = new LatencyHistogram();
        copy.Add(this);
        return copy;
    }

    public double? MeanMs => Count == 0 ? null : SumMs / Count;

    /// <summary>The <paramref name="quantile"/> (0..1), interpolated inside its bucket; null when empty.</summary>
    public double? Percentile(double quantile)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Clamp(quantile, 0, 1) * Count;
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            if (_buckets[i] == 0)
            {
                continue;
            }

            if (seen + _buckets[i] >= rank)
            {
                var lower = i == 0 ? 0 : UpperBounds[i - 1];
                var upper = i < UpperBounds.Length ? UpperBounds[i] : UpperBounds[^1] * 2;
                var fraction = (rank - seen) / _buckets[i];
                return lower + ((upper - lower) * fraction);
            }

            seen += _buckets[i];
        }

        return UpperBounds[^1];
    }
}
