namespace HvsGrains.Grains.Features;

/// <summary>
/// The last 10 minutes as 10-second buckets, each holding count, mean and M2 per channel
/// (60 × (2 + 9 × 12) B ≈ 6.6 KB whatever the reading rate). Raw samples would need 43 KB per module
/// at 1 Hz; buckets cost only window-edge resolution: the 5- and 10-minute windows are the 30 and 60
/// newest buckets (aligned to UTC), so they cover the last 290-300 s and 590-600 s. Within a bucket
/// values are added with Welford's update and buckets are merged with Chan et al.'s parallel formula,
/// so there are no running sums to drift and no catastrophic cancellation.
/// Means stay double: a float mean of 56 V is off by up to 2e-6 V, which the merge turns into 0.2 %
/// of a 2 mV standard deviation. M2 is a sum of squares, so float keeps it to 6e-8 relative; it halves
/// what a module grain holds for the windows (issue 11's memory target).
/// Bucket b lives in slot b mod 60, so a slot's bucket follows from the newest one and needs no index.
/// </summary>
internal sealed class BucketWindow
{
    public const long BucketTicks = 10 * TimeSpan.TicksPerSecond;
    public const int Capacity = 60;
    private const int Channels = FeatureLayout.ChannelCount;

    private readonly ushort[] _counts = new ushort[Capacity]; // 65,535 readings in 10 s is no sensor's rate
    private readonly double[] _means = new double[Capacity * Channels];
    private readonly float[] _m2s = new float[Capacity * Channels];
    private long _newest = long.MinValue;

    public static int ApproximateBytes => Capacity * (sizeof(ushort) + (Channels * (sizeof(double) + sizeof(float))));

    public static long BucketOf(long ticks) => ticks / BucketTicks;

    public void Add(long ticks, ReadOnlySpan<float> values)
    {
        var bucket = BucketOf(ticks);
        if (bucket > _newest)
        {
            // Empty the slots of the buckets skipped over and of the new one: they held buckets 60 or more older.
            var cleared = _newest == long.MinValue ? Capacity : (int)Math.Min(Capacity, bucket - _newest);
            for (var k = 0; k < cleared; k++)
            {
                _counts[Slot(bucket - k)] = 0;
            }

            _newest = bucket;
        }
        else if (bucket <= _newest - Capacity)
        {
            return; // older than the window (the feature state refuses late readings before this)
        }

        var slot = Slot(bucket);
        if (_counts[slot] == ushort.MaxValue)
        {
            return; // full: the reading still counts in the 1-minute window
        }

        if (_counts[slot] == 0)
        {
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
        (ChannelLanes.Widen(m2s) + (d * (x - mean))).StoreNarrowed(m2s);
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
        for (var k = 0; k < Capacity && _newest != long.MinValue; k++)
        {
            var index = _newest - k;
            if (index <= firstOfLonger)
            {
                break;
            }

            if (!shorterDone && index <= firstOfShorter)
            {
                shorter.Set(n, mean, m2);
                shorterDone = true;
            }

            var slot = Slot(index);
            long count = _counts[slot];
            if (count == 0)
            {
                continue; // a bucket without readings adds nothing
            }

            var bucketMean = ChannelLanes.Load(_means.AsSpan(slot * Channels));
            var bucketM2 = ChannelLanes.Widen(_m2s.AsSpan(slot * Channels));
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

    /// <summary>The buckets holding readings, oldest first.</summary>
    public (long[] Index, int[] Counts, double[] Means, float[] M2s) Export()
    {
        var held = new List<long>(Capacity);
        for (var k = Capacity - 1; k >= 0 && _newest != long.MinValue; k--)
        {
            if (_counts[Slot(_newest - k)] > 0)
            {
                held.Add(_newest - k);
            }
        }

        var index = held.ToArray();
        var counts = new int[index.Length];
        var means = new double[index.Length * Channels];
        var m2s = new float[index.Length * Channels];
        for (var i = 0; i < index.Length; i++)
        {
            var slot = Slot(index[i]);
            counts[i] = _counts[slot];
            _means.AsSpan(slot * Channels, Channels).CopyTo(means.AsSpan(i * Channels));
            _m2s.AsSpan(slot * Channels, Channels).CopyTo(m2s.AsSpan(i * Channels));
        }

        return (index, counts, means, m2s);
    }

    public void Import(long[] index, int[] counts, double[] means, float[] m2s)
    {
        var n = index.Length;
        if (n > Capacity || counts.Length != n || means.Length != n * Channels || m2s.Length != n * Channels)
        {
            throw new ArgumentException("Snapshot bucket window has the wrong shape.");
        }

        var newest = n == 0 ? long.MinValue : index.Max();
        if (index.Any(i => i <= newest - Capacity) || index.Distinct().Count() != n || counts.Any(c => c is < 0 or > ushort.MaxValue))
        {
            throw new ArgumentException("Snapshot bucket window holds buckets outside its 10 minutes, twice, or with impossible counts.");
        }

        Array.Clear(_counts);
        _newest = newest;
        for (var i = 0; i < n; i++)
        {
            var slot = Slot(index[i]);
            _counts[slot] = (ushort)counts[i];
            means.AsSpan(i * Channels, Channels).CopyTo(_means.AsSpan(slot * Channels));
            m2s.AsSpan(i * Channels, Channels).CopyTo(_m2s.AsSpan(slot * Channels));
        }
    }

    private static int Slot(long bucket) => (int)(((bucket % Capacity) + Capacity) % Capacity);
}
