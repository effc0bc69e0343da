namespace HvsGrains.Grains.Features;

/// <summary>
/// The last minute of samples, raw, in a fixed ring: float values of all channels plus one shared
/// timestamp per sample (64 × (9 × 4 + 4) B ≈ 2.5 KB). Timestamps are kept as 32-bit tick offsets from
/// a base that moves forward now and then: a minute is 6e8 ticks, well inside an int, and exact. Raw samples keep the 1-minute statistics
/// exact and give the oldest value for the 1-minute slope and voltage drop. More than 64 samples in
/// a minute (faster than ~1 Hz) drops the oldest, so the window then covers the last 64 samples.
/// </summary>
internal sealed class ShortWindow
{
    public const int Capacity = 64;
    public const long SpanTicks = TimeSpan.TicksPerMinute;
    private const int Channels = FeatureLayout.ChannelCount;

    private readonly int[] _offsets = new int[Capacity];
    private readonly float[] _values = new float[Capacity * Channels];
    private long _baseTicks;
    private int _start;

    public int Count { get; private set; }

    public long OldestTicks => _baseTicks + _offsets[_start];

    public static int ApproximateBytes => (Capacity * sizeof(int)) + (Capacity * Channels * sizeof(float));

    /// <summary>Adds a sample at <paramref name="ticks"/> (UTC, newer than any before); returns true if an in-window sample had to be dropped.</summary>
    public bool Add(long ticks, ReadOnlySpan<float> values)
    {
        while (Count > 0 && OldestTicks <= ticks - SpanTicks)
        {
            DropOldest();
        }

        var overflow = Count == Capacity;
        if (overflow)
        {
            DropOldest();
        }

        if (Count == 0 || ticks - _baseTicks > int.MaxValue)
        {
            Rebase(ticks - SpanTicks); // every sample kept is newer than that
        }

        var slot = (_start + Count) % Capacity;
        _offsets[slot] = (int)(ticks - _baseTicks);
        values.CopyTo(_values.AsSpan(slot * Channels, Channels));
        Count++;
        return overflow;
    }

    public float Oldest(int channel) => _values[(_start * Channels) + channel];

    /// <summary>
    /// Two-pass mean and M2 of every channel over the ring, oldest sample first: all channels in one
    /// sweep, but each channel's sums add the same values in the same order as a pass of its own.
    /// </summary>
    public void Stats(ref ChannelMoments moments)
    {
        // The ring as its two contiguous runs, oldest first.
        var head = Math.Min(Count, Capacity - _start);
        ReadOnlySpan<float> older = _values.AsSpan(_start * Channels, head * Channels);
        ReadOnlySpan<float> newer = _values.AsSpan(0, (Count - head) * Channels);

        var sum = Sum(newer, Sum(older, ChannelLanes.Zero));
        var mean = Count == 0 ? ChannelLanes.Zero : sum / Count;
        var m2 = SumSquaredDeviations(newer, mean, SumSquaredDeviations(older, mean, ChannelLanes.Zero));
        moments.Set(Count, mean, m2);
    }

    /// <summary>Samples oldest first: timestamps, and values flattened sample-major.</summary>
    public (long[] Ticks, float[] Values) Export()
    {
        var ticks = new long[Count];
        var values = new float[Count * Channels];
        for (var i = 0; i < Count; i++)
        {
            var slot = (_start + i) % Capacity;
            ticks[i] = _baseTicks + _offsets[slot];
            _values.AsSpan(slot * Channels, Channels).CopyTo(values.AsSpan(i * Channels));
        }

        return (ticks, values);
    }

    public void Import(long[] ticks, float[] values)
    {
        if (ticks.Length > Capacity || values.Length != ticks.Length * Channels)
        {
            throw new ArgumentException("Snapshot short window has the wrong shape.");
        }

        if (ticks.Length > 0 && ticks[^1] - ticks[0] > int.MaxValue)
        {
            throw new ArgumentException("Snapshot short window spans more than its ring can hold.");
        }

        _start = 0;
        Count = ticks.Length;
        _baseTicks = ticks.Length > 0 ? ticks[0] : 0;
        for (var i = 0; i < ticks.Length; i++)
        {
            _offsets[i] = (int)(ticks[i] - _baseTicks);
        }

        values.CopyTo(_values, 0);
    }

    private static ChannelLanes Sum(ReadOnlySpan<float> samples, ChannelLanes sum)
    {
        for (var s = 0; s < samples.Length; s += Channels)
        {
            sum += ChannelLanes.Widen(samples[s..]);
        }

        return sum;
    }

    private static ChannelLanes SumSquaredDeviations(ReadOnlySpan<float> samples, ChannelLanes mean, ChannelLanes m2)
    {
        for (var s = 0; s < samples.Length; s += Channels)
        {
            var d = ChannelLanes.Widen(samples[s..]) - mean;
            m2 += d * d;
        }

        return m2;
    }

    private void Rebase(long baseTicks)
    {
        var shift = baseTicks - _baseTicks;
        for (var i = 0; i < Count; i++)
        {
            _offsets[(_start + i) % Capacity] -= (int)shift;
        }

        _baseTicks = baseTicks;
    }

    private void DropOldest()
    {
        _start = (_start + 1) % Capacity;
        Count--;
    }
}
