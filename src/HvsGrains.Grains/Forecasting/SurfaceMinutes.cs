namespace HvsGrains.Grains.Forecasting;

/// <summary>
/// A small ring of per-minute means of a module's hottest surface (sensor time), the forecast's only input.
/// Per reading it adds to the current minute's sums; the fit runs only when a status is asked for.
/// </summary>
public sealed class SurfaceMinutes
{
    private readonly Bucket[] _ring;
    private int _newest = -1;
    private long _lastTicks = long.MinValue;

    public SurfaceMinutes(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        _ring = new Bucket[capacity];
    }

    /// <summary>The latest reading observed, or null before the first.</summary>
    public DateTimeOffset? LastTimestamp => _newest < 0 ? null : new DateTimeOffset(_lastTicks, TimeSpan.Zero);

    /// <summary>Adds one reading; a reading not newer than the last one is ignored (replays, late readings).</summary>
    public void Observe(DateTimeOffset timestamp, double maxSurfaceC)
    {
        var ticks = timestamp.UtcTicks;
        if (ticks <= _lastTicks || !double.IsFinite(maxSurfaceC))
        {
            return;
        }

        _lastTicks = ticks;
        var minute = ticks / TimeSpan.TicksPerMinute;
        var seconds = (double)(ticks % TimeSpan.TicksPerMinute) / TimeSpan.TicksPerSecond;
        if (_newest < 0 || _ring[_newest].Minute != minute)
        {
            _newest = (_newest + 1) % _ring.Length;
            _ring[_newest] = new Bucket { Minute = minute };
        }

        ref var bucket = ref _ring[_newest];
        bucket.Count++;
        bucket.Sum += maxSurfaceC;
        bucket.SumOfSquares += maxSurfaceC * maxSurfaceC;
        bucket.SumOfSeconds += seconds;
    }

    /// <summary>The minutes kept, oldest first, timed relative to the latest reading; minutes older than <paramref name="minutes"/> before it are left out.</summary>
    public IReadOnlyList<MinuteMean> Means(int minutes)
    {
        var means = new List<MinuteMean>(_ring.Length);
        if (_newest < 0)
        {
            return means;
        }

        var now = _lastTicks / (double)TimeSpan.TicksPerMinute;
        for (var i = 1; i <= _ring.Length; i++)
        {
            var bucket = _ring[(_newest + i) % _ring.Length];
            if (bucket.Count == 0)
            {
                continue;
            }

            var mean = bucket.Sum / bucket.Count;
            var at = bucket.Minute + (bucket.SumOfSeconds / bucket.Count / 60);
            if (now - at > minutes)
            {
                continue;
            }

            var variance = Math.Max(0, (bucket.SumOfSquares / bucket.Count) - (mean * mean));
            means.Add(new MinuteMean(now - at, mean, variance, bucket.Count));
        }

        return means;
    }

    /// <summary>What the module grain persists with its state; null before the first reading.</summary>
    public SurfaceMinutesSnapshot? ExportSnapshot()
    {
        if (_newest < 0)
        {
            return null;
        }

        var minutes = new List<SurfaceMinute>(_ring.Length);

        for (var i = 1; i <= _ring.Length; i++)
        {
            var b = _ring[(_newest + i) % _ring.Length];
            if (b.Count > 0)
            {
                minutes.Add(new SurfaceMinute(b.Minute, b.Count, b.Sum, b.SumOfSquares, b.SumOfSeconds));
            }
        }

        return new SurfaceMinutesSnapshot(minutes, new DateTimeOffset(_lastTicks, TimeSpan.Zero));
    }

    /// <summary>Rebuilds the ring from a snapshot (oldest first); the newest minutes win when it holds more than fit.</summary>
    public static SurfaceMinutes FromSnapshot(SurfaceMinutesSnapshot? snapshot, int capacity)
    {
        var ring = new SurfaceMinutes(capacity);
        if (snapshot is not { Minutes.Count: > 0 })
        {
            return ring;
        }

        var minutes = snapshot.Minutes;
        foreach (var m in minutes.Skip(Math.Max(0, minutes.Count - capacity)))
        {
            ring._newest = (ring._newest + 1) % capacity;
            ring._ring[ring._newest] = new Bucket { Minute = m.Minute, Count = m.Count, Sum = m.Sum, SumOfSquares = m.SumOfSquares, SumOfSeconds = m.SumOfSeconds };
        }

        ring._lastTicks = snapshot.LastTimestamp.UtcTicks;
        return ring;
    }

    private struct Bucket
    {
        public long Minute;
        public int Count;
        public double Sum;
        public double SumOfSquares;
        public double SumOfSeconds;
    }
}
