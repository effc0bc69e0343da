namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// Bin counts of every feature over a sliding window of time buckets (a ring; the oldest bucket is cleared when its
/// slot comes round again). One writer (the scoring thread) and lock-free readers: a reader may see a bucket half
/// cleared at the moment it rolls over, which costs at most one report interval of accuracy, never a wrong bin.
/// </summary>
internal sealed class SlidingBinCounts
{
    private readonly long _bucketTicks;
    private readonly int _width;
    private readonly long[][] _counts;
    private readonly long[] _readings;
    private readonly long[] _epochs;

    public SlidingBinCounts(string name, TimeSpan window, int buckets, int features)
    {
        Name = name;
        Window = window;
        _bucketTicks = Math.Max(1, window.Ticks / buckets);
        _width = features * FeatureBaseline.MaxBins;
        _counts = [.. Enumerable.Range(0, buckets).Select(_ => new long[_width])];
        _readings = new long[buckets];
        _epochs = [.. Enumerable.Repeat(long.MinValue, buckets)];
    }

    public string Name { get; }

    public TimeSpan Window { get; }

    /// <summary>Counts one feature vector, given each feature's bin: O(features).</summary>
    public void Add(long nowTicks, ReadOnlySpan<byte> bins)
    {
        var epoch = nowTicks / _bucketTicks;
        var slot = (int)(epoch % _counts.Length);
        var counts = _counts[slot];
        if (Volatile.Read(ref _epochs[slot]) != epoch)
        {
            Array.Clear(counts);
            _readings[slot] = 0;
            Volatile.Write(ref _epochs[slot], epoch);
        }

        for (var f = 0; f < bins.Length; f++)
        {
            counts[(f * FeatureBaseline.MaxBins) + bins[f]]++;
        }

        _readings[slot]++;
    }

    /// <summary>The window's counts (feature-major, <see cref="FeatureBaseline.MaxBins"/> per feature) and readings.</summary>
    public WindowCounts Sum(long nowTicks)
    {
        var epoch = nowTicks / _bucketTicks;
        var total = new long[_width];
        long readings = 0;
        for (var slot = 0; slot < _counts.Length; slot++)
        {
            var age = epoch - Volatile.Read(ref _epochs[slot]);
            if (age < 0 || age >= _counts.Length)
            {
                continue; // empty, or older than the window
            }

            var counts = _counts[slot];
            for (var i = 0; i < total.Length; i++)
            {
                total[i] += counts[i];
            }

            readings += _readings[slot];
        }

        return new WindowCounts(Name, Window, readings, total);
    }
}
