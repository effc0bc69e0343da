namespace HvsGrains.Grains.Features;

/// <summary>
/// The last minute of samples, raw, in a fixed ring: float values of all channels plus one shared
/// timestamp per sample (64 × (9 × 4 + 8) B ≈ 2.8 KB). Raw samples keep the 1-minute statistics
/// exact and give the oldest value for the 1-minute slope and voltage drop. More than 64 samples in
/// a minute (faster than ~1 Hz) drops the oldest, so the window then covers the last 64 samples.
/// </summary>
internal sealed class ShortWindow
{
    public const int Capacity = 64;
    public const long SpanTicks = TimeSpan.TicksPerMinute;
    private const int Channels = FeatureLayout.ChannelCount;

    private readonly long[] _ticks = new long[Capacity];
    private readonly float[] _values = new float[Capacity * Channels];
    private int _start;

    public int Count { get; private set; }

    public long OldestTicks => _ticks[_start];

    public static int ApproximateBytes => (Capacity * sizeof(long)) + (Capacity * Channels * sizeof(float));

    /// <summary>Adds a sample at <paramref name="ticks"/> (UTC, newer than any before); returns true if an in-window sample had to be dropped.</summary>
    public bool Add(long ticks, ReadOnlySpan<float> values)
    {
        while (Count > 0 && _ticks[_start] <= ticks - SpanTicks)
        {
            DropOldest();
        }

        var overflow = Count == Capacity;
        if (overflow)
        {
            DropOldest();
        }

        var slot = (_start + Count) % Capacity;
        _ticks[slot] = ticks;
        values.CopyTo(_values.AsSpan(slot * Channels, Channels));
        Count++;
        return overflow;
    }

    public float Oldest(int channel) => _values[(_start * Channels) + channel];

    /// <summary>Two-pass mean and M2 over the ring: exact, and cheap for 64 samples.</summary>
    public WindowStats Stats(int channel)
    {
        if (Count == 0)
        {
            return default;
        }

        var sum = 0.0;
        for (var i = 0; i < Count; i++)
        {
            sum += At(i, channel);
        }

        var mean = sum / Count;
        var m2 = 0.0;
        for (var i = 0; i < Count; i++)
        {
            var d = At(i, channel) - mean;
            m2 += d * d;
        }

        return new WindowStats(Count, mean, m2);
    }

    /// <summary>Samples oldest first: timestamps, and values flattened sample-major.</summary>
    public (long[] Ticks, float[] Values) Export()
    {
        var ticks = new long[Count];
        var values = new float[Count * Channels];
        for (var i = 0; i < Count; i++)
        {
            var slot = (_start + i) % Capacity;
            ticks[i] = _ticks[slot];
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

        _start = 0;
        Count = ticks.Length;
        ticks.CopyTo(_ticks, 0);
        values.CopyTo(_values, 0);
    }

    private double At(int i, int channel) => _values[(((_start + i) % Capacity) * Channels) + channel];

    private void DropOldest()
    {
        _start = (_start + 1) % Capacity;
        Count--;
    }
}
