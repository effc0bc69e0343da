using System.Globalization;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>
/// Lock-free log-linear histogram of durations in milliseconds (HDR-like: ≤ 1 % relative error from
/// 1 µs to 10 min), so millions of samples can be recorded from any thread without allocating.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double MinMs = 0.001;
    private const double Growth = 1.01;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[(int)(Math.Log(600_000 / MinMs) / LogGrowth) + 2];
    private long _count;
    private double _max;

    public long Count => Interlocked.Read(ref _count);

    public void Record(double ms)
    {
        var index = ms <= MinMs ? 0 : Math.Min(_counts.Length - 1, 1 + (int)(Math.Log(ms / MinMs) / LogGrowth));
        Interlocked.Increment(ref _counts[index]);
        Interlocked.Increment(ref _count);
        double seen;
        while (ms > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, ms, seen) != seen)
        {
        }
    }

    /// <summary>The upper bound of the bucket holding the <paramref name="quantile"/> sample (0..1).</summary>
    public double Percentile(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(i == 0 ? MinMs : MinMs * Math.Pow(Growth, i), Volatile.Read(ref _max));
            }
        }

        return Volatile.Read(ref _max);
    }

    public double Max => Volatile.Read(ref _max);

    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count:N0} p50={Percentile(0.50):F2} p90={Percentile(0.90):F2} p99={Percentile(0.99):F2} p99.9={Percentile(0.999):F2} max={Max:F2} ms");
}
