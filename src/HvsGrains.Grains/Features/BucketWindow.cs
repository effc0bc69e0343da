namespace HvsGrains.Grains.Features;

/// <summary>
/// The last 10 minutes as 10-second buckets, each holding count, mean and M2 per channel
/// (60 × 9 × 16 B ≈ 8.6 KB whatever the reading rate). Raw samples would need 43 KB per module at
/// 1 Hz; buckets cost only window-edge resolution: the 5- and 10-minute windows are the 30 and 60
/// newest buckets (aligned to UTC), so they cover the last 290-300 s and 590-600 s. Within a bucket
/// values are added with Welford's update and buckets are merged with Chan et al.'s parallel formula,
/// so there are no running sums to drift and no catastrophic cancellation.
/// </summary>
internal sealed class BucketWindow
{
    public const long BucketTicks = 10 * TimeSpan.TicksPerSecond;
    public const int Capacity = 60;
    private const int Channels = FeatureLayout.ChannelCount;

    private readonly long[] _index = new long[Capacity];
    private readonly int[] _counts = new int[Capacity];
    private readonly double[] _means = new double[Capacity * Channels];
    private readonly double[] _m2s = new double[Capacity * Channels];
    private int _start;
    private int _count;

    public static int ApproximateBytes => Capacity * (sizeof(long) + sizeof(int) + (2 * Channels * sizeof(double)));

    public static long BucketOf(long ticks) => ticks / BucketTicks;

    public void Add(long ticks, ReadOnlySpan<float> values)
    {
        var bucket = BucketOf(ticks);
        while (_count > 0 && _index[_start] <= bucket - Capacity)
        {
            _start = (_start + 1) % Capacity;
            _count--;
        }

        int slot;
        if (_count > 0 && _index[Newest] == bucket)
        {
            slot = Newest;
        }
        else
        {
            // Eviction above leaves at most Capacity - 1 older buckets, so there is always room.
            slot = (_start + _count) % Capacity;
            _count++;
            _index[slot] = bucket;
            _counts[slot] = 0;
            Array.Clear(_means, slot * Channels, Channels);
            Array.Clear(_m2s, slot * Channels, Channels);
        }

        // Welford's update of every channel at once, lane by lane the scalar formula.
        var n = ++_counts[slot];
        var means = _means.AsSpan(slot * Channels, Channels);
        var m2s = _m2s.AsSpan(slot * Channels, Channels);
        var x = ChannelLanes.Widen(values);
        var mean = ChannelLanes.Load(means);
        var d = x - mean;
        mean += d / n;
        (ChannelLanes.Load(m2s) + (d * (x - mean))).Store(m2s);
        mean.Store(means);
    }

    /// <summary>
    /// Statistics of every channel over the newest <paramref name="shorterBuckets"/> and the newest
    /// <paramref name="longerBuckets"/> buckets counted back from the bucket of <paramref name="nowTicks"/>.
    /// Buckets are merged newest first, so the longer window passes through exactly the shorter
    /// one's result on its way: one sweep gives both.
    /// </summary>
    public void Stats(long nowTicks, int shorterBuckets, int longerBuckets, ref ChannelMoments shorter, ref ChannelMoments longer)
    {
        if (shorterBuckets > longerBuckets)
        {
            throw new ArgumentOutOfRangeException(nameof(shorterBuckets), "The shorter window must not be longer.");
        }

        var now = BucketOf(nowTicks);
        var firstOfShorter = now - shorterBuckets;
        var firstOfLonger = now - longerBuckets;
        long n = 0;
        var mean = ChannelLanes.Zero;
        var m2 = ChannelLanes.Zero;
        var shorterDone = false;
        for (var k = _count - 1; k >= 0; k--)
        {
            var slot = (_start + k) % Capacity;
            var index = _index[slot];
            if (index <= firstOfLonger)
            {
                break;
            }

            if (!shorterDone && index <= firstOfShorter)
            {
                shorter.Set(n, mean, m2);
                shorterDone = true;
            }

            long count = _counts[slot];
            if (count == 0)
            {
                continue; // adds nothing; only a hand-made snapshot holds an empty bucket
            }

            var bucketMean = ChannelLanes.Load(_means.AsSpan(slot * Channels));
            var bucketM2 = ChannelLanes.Load(_m2s.AsSpan(slot * Channels));
            if (n == 0)
            {
                (n, mean, m2) = (count, bucketMean, bucketM2);
                continue;
            }

            // Chan et al.'s parallel merge, term for term as the scalar formula.
            var total = n + count;
            var delta = bucketMean - mean;
            mean += delta * count / total;
            m2 = m2 + bucketM2 + (delta * delta * n * count / total);
            n = total;
        }

        if (!shorterDone)
        {
            shorter.Set(n, mean, m2);
        }

        longer.Set(n, mean, m2);
    }

    public (long[] Index, int[] Counts, double[] Means, double[] M2s) Export()
    {
        var index = new long[_count];
        var counts = new int[_count];
        var means = new double[_count * Channels];
        var m2s = new double[_count * Channels];
        for (var k = 0; k < _count; k++)
        {
            var slot = (_start + k) % Capacity;
            index[k] = _index[slot];
            counts[k] = _counts[slot];
            _means.AsSpan(slot * Channels, Channels).CopyTo(means.AsSpan(k * Channels));
            _m2s.AsSpan(slot * Channels, Channels).CopyTo(m2s.AsSpan(k * Channels));
        }

        return (index, counts, means, m2s);
    }

    public void Import(long[] index, int[] counts, double[] means, double[] m2s)
    {
        var n = index.Length;
        if (n > Capacity || counts.Length != n || means.Length != n * Channels || m2s.Length != n * Channels)
        {
            throw new ArgumentException("Snapshot bucket window has the wrong shape.");
        }

        _start = 0;
        _count = n;
        index.CopyTo(_index, 0);
        counts.CopyTo(_counts, 0);
        means.CopyTo(_means, 0);
        m2s.CopyTo(_m2s, 0);
    }

    private int Newest => (_start + _count - 1) % Capacity;
}
