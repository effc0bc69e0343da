using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Features;

/// <summary>
/// The rolling feature state of one module, fed one validated reading at a time. Per reading:
/// forward-fill missing sensors, clip isolated spikes (<see cref="SpikeFilter"/>), take deltas and
/// temperature rates, and update the 1/5/10-minute windows. Values are rounded to float32 on entry,
/// as the model consumes them, so every later step is deterministic and snapshot-exact.
/// About 12 KB per module. Not thread-safe: a grain turn owns it.
/// </summary>
public sealed class ModuleFeatureState
{
    private const int Channels = SensorChannels.Count;

    /// <summary>The 1-minute slope is meaningless over a few seconds of thermistor noise; below this span it is 0.</summary>
    private const long MinSlopeSpanTicks = 20 * TimeSpan.TicksPerSecond;

    /// <summary>The channels <see cref="Measurements"/> names; fails to compile (division by zero) when a channel is added, until it is read there too.</summary>
    private const int NamedChannels = 9 / (Channels == 9 ? 1 : 0);

    /// <summary>The 5- and 10-minute windows (features 1 and 2 of <see cref="FeatureLayout.Windows"/>) in buckets.</summary>
    private static readonly int FiveMinuteBuckets = Buckets(FeatureLayout.Windows[1].Seconds);
    private static readonly int TenMinuteBuckets = Buckets(FeatureLayout.Windows[2].Seconds);

    /// <summary>A gap longer than the shortest window breaks a run: that window then holds a single reading.</summary>
    private static readonly long RunBreakTicks = FeatureLayout.Windows[0].Seconds * TimeSpan.TicksPerSecond;

    /// <summary>The longest window; a run this long has filled every window.</summary>
    private static readonly long LongestWindowTicks = FeatureLayout.Windows[^1].Seconds * TimeSpan.TicksPerSecond;

    private readonly FeatureOptions _options;
    private readonly float[] _last = new float[Channels];
    private readonly SpikeFilter.Channel[] _spike = new SpikeFilter.Channel[Channels];
    private readonly ShortWindow _short = new();
    private readonly BucketWindow _buckets = new();
    private long? _lastTicks;
    private long? _runStartTicks;
    private int _observedMask;
    private FeatureCounters _counters;

    public ModuleFeatureState(string moduleId, FeatureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(moduleId);
        ModuleId = moduleId;
        _options = options ?? FeatureOptions.Default;
        _options.Check();
    }

    public string ModuleId { get; }

    public FeatureCounters Counters => _counters;

    /// <summary>
    /// Channels (bit per <see cref="SensorChannel"/>) whose previous value the newest reading showed to be a
    /// one-off spike: it jumped beyond the channel's physical rate, was clipped, and the channel fell back.
    /// Not part of the features or the snapshot; the module reports it as a sensor fault.
    /// </summary>
    public int RejectedSpikeMask { get; private set; }

    /// <summary>The features after the newest applied reading; null before the first.</summary>
    public FeatureVector? Current { get; private set; }

    /// <summary>Timestamp (UTC) of the newest applied reading.</summary>
    public DateTimeOffset? LastTimestamp => _lastTicks is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>
    /// True once the module has reported without a break longer than the 1-minute window for the whole 10-minute window:
    /// every window then holds a full span of readings. Before that a window of one or two readings has a standard
    /// deviation of 0, as a frozen sensor's, so the anomaly score is not judged (the training pipeline's warm rows).
    /// </summary>
    public bool WindowsFull => _lastTicks is { } last && _runStartTicks is { } start && last - start >= LongestWindowTicks;

    /// <summary>Bytes held by the window buffers (the bulk of the state).</summary>
    public static int ApproximateBytes => ShortWindow.ApproximateBytes + BucketWindow.ApproximateBytes + (Channels * 32);

    /// <summary>Applies one reading. Readings older than or as old as the newest are ignored and counted.</summary>
    public ApplyOutcome Apply(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!string.Equals(reading.ModuleId, ModuleId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Reading for module '{reading.ModuleId}' sent to the state of '{ModuleId}'.", nameof(reading));
        }

        var ticks = reading.Timestamp.UtcTicks;
        if (_lastTicks is { } lastTicks && ticks <= lastTicks)
        {
            // Windows only move forward; a late reading stays in the log for history but not in live features.
            _counters = ticks < lastTicks
                ? _counters with { LateReadings = _counters.LateReadings + 1 }
                : _counters with { DuplicateReadings = _counters.DuplicateReadings + 1 };
            return ticks < lastTicks ? ApplyOutcome.Late : ApplyOutcome.Duplicate;
        }

        Span<float> values = stackalloc float[Channels];
        var cleaned = Clean(reading, ticks, values);
        var overflow = _short.Add(ticks, values);
        _buckets.Add(ticks, values);
        Current = BuildFeatures(ticks, values, cleaned.ImputedMask);
        values.CopyTo(_last);
        if (_lastTicks is not { } previous || ticks - previous > RunBreakTicks)
        {
            _runStartTicks = ticks;
        }

        _lastTicks = ticks;
        _counters = _counters with
        {
            AppliedReadings = _counters.AppliedReadings + 1,
            ImputedValues = _counters.ImputedValues + cleaned.Imputed,
            DefaultedValues = _counters.DefaultedValues + cleaned.Defaulted,
            ClippedValues = _counters.ClippedValues + cleaned.Clipped,
            ShortWindowOverflows = _counters.ShortWindowOverflows + (overflow ? 1 : 0),
        };
        return ApplyOutcome.Applied;
    }

    /// <summary>Steps (a) and (b): impute missing values and clip spikes. Returns the imputed-channel mask and what was done, for the counters.</summary>
    private (int ImputedMask, int Imputed, int Defaulted, int Clipped) Clean(SensorReading reading, long ticks, Span<float> values)
    {
        Span<double> measured = stackalloc double[Channels];
        Measurements(reading, measured);
        int imputedMask = 0, imputed = 0, defaulted = 0, clipped = 0, rejectedSpikes = 0;
        for (var c = 0; c < Channels; c++)
        {
            var bit = 1 << c;
            var r = measured[c];
            if (!double.IsFinite(r))
            {
                imputedMask |= bit;
                if ((_observedMask & bit) != 0)
                {
                    values[c] = _last[c];
                    imputed++;
                }
                else
                {
                    values[c] = (float)_options.MissingDefaults[c];
                    defaulted++;
                }

                continue;
            }

            var value = (float)r;
            if ((_observedMask & bit) == 0)
            {
                // First observation: nothing to judge a jump against.
                _observedMask |= bit;
                SpikeFilter.Accept(ref _spike[c], value, ticks, 0);
                values[c] = value;
                continue;
            }

            var pending = _spike[c].Mode is 1 or -1;
            var (filtered, wasClipped) = SpikeFilter.Apply(ref _spike[c], _options.SpikeLimits[c], value, ticks);
            values[c] = filtered;
            if (pending && !wasClipped && _spike[c].Mode == 0)
            {
                rejectedSpikes |= bit;
            }

            if (wasClipped)
            {
                clipped++;
            }
        }

        RejectedSpikeMask = rejectedSpikes;
        return (imputedMask, imputed, defaulted, clipped);
    }

    /// <summary>
    /// The reading's values in channel order, NaN where missing (cleaning treats the two alike). Read
    /// directly: a <see cref="SensorReading.Get"/> switch per channel cost as much as the rest of cleaning.
    /// </summary>
    private static void Measurements(SensorReading reading, Span<double> into)
    {
        into = into[..NamedChannels];
        into[(int)SensorChannel.Voltage] = reading.VoltageV ?? double.NaN;
        into[(int)SensorChannel.Current] = reading.CurrentA ?? double.NaN;
        into[(int)SensorChannel.Soc] = reading.SocPercent ?? double.NaN;
        into[(int)SensorChannel.AvgSurfaceTemp] = reading.AvgSurfaceTempC ?? double.NaN;
        into[(int)SensorChannel.MaxSurfaceTemp] = reading.MaxSurfaceTempC ?? double.NaN;
        into[(int)SensorChannel.AmbientTemp] = reading.AmbientTempC ?? double.NaN;
        into[(int)SensorChannel.Co] = reading.CoPpm ?? double.NaN;
        into[(int)SensorChannel.H2] = reading.H2Ppm ?? double.NaN;
        into[(int)SensorChannel.Voc] = reading.VocPpm ?? double.NaN;
    }

    /// <summary>Steps (c) and (d): deltas, rates, windows and derived figures, from the windows that already hold this reading.</summary>
    private FeatureVector BuildFeatures(long ticks, ReadOnlySpan<float> values, int imputedMask)
    {
        Span<double> moments = stackalloc double[6 * Channels];
        var oneMinute = new ChannelMoments(moments[..Channels], moments[Channels..(2 * Channels)]);
        var fiveMinutes = new ChannelMoments(moments[(2 * Channels)..(3 * Channels)], moments[(3 * Channels)..(4 * Channels)]);
        var tenMinutes = new ChannelMoments(moments[(4 * Channels)..(5 * Channels)], moments[(5 * Channels)..]);
        _short.Stats(ref oneMinute);
        _buckets.Stats(ticks, FiveMinuteBuckets, TenMinuteBuckets, ref fiveMinutes, ref tenMinutes);

        var f = new float[FeatureLayout.Count];
        var seconds = _lastTicks is { } prev ? (ticks - prev) / (double)TimeSpan.TicksPerSecond : 0;
        var firstReading = _lastTicks is null;
        for (var c = 0; c < Channels; c++)
        {
            f[FeatureLayout.Value + c] = values[c];
            f[FeatureLayout.Delta + c] = firstReading ? 0 : (float)((double)values[c] - _last[c]);
            f[FeatureLayout.RollingMean(0, c)] = (float)oneMinute.Means[c];
            f[FeatureLayout.RollingStd(0, c)] = (float)oneMinute.PopulationStd(c);
            f[FeatureLayout.RollingMean(1, c)] = (float)fiveMinutes.Means[c];
            f[FeatureLayout.RollingStd(1, c)] = (float)fiveMinutes.PopulationStd(c);
            f[FeatureLayout.RollingMean(2, c)] = (float)tenMinutes.Means[c];
            f[FeatureLayout.RollingStd(2, c)] = (float)tenMinutes.PopulationStd(c);
        }

        for (var r = 0; r < FeatureLayout.RateChannels.Length; r++)
        {
            var delta = f[FeatureLayout.Delta + (int)FeatureLayout.RateChannels[r]];
            f[FeatureLayout.Rate + r] = seconds > 0 ? (float)(delta / seconds) : 0;
        }

        var maxT = values[(int)SensorChannel.MaxSurfaceTemp];
        var avgT = values[(int)SensorChannel.AvgSurfaceTemp];
        f[FeatureLayout.SurfaceSpread] = (float)((double)maxT - avgT);
        f[FeatureLayout.SurfaceOverAmbient] = (float)((double)avgT - values[(int)SensorChannel.AmbientTemp]);

        var span = ticks - _short.OldestTicks;
        f[FeatureLayout.MaxSurfaceSlope1m] = span >= MinSlopeSpanTicks
            ? (float)(((double)maxT - _short.Oldest((int)SensorChannel.MaxSurfaceTemp)) * TimeSpan.TicksPerMinute / span)
            : 0;
        f[FeatureLayout.VoltageDrop1m] = (float)((double)_short.Oldest((int)SensorChannel.Voltage) - values[(int)SensorChannel.Voltage]);

        return new FeatureVector(new DateTimeOffset(ticks, TimeSpan.Zero), f, _observedMask, imputedMask);
    }

    public ModuleFeatureSnapshot ExportSnapshot()
    {
        var (shortTicks, shortValues) = _short.Export();
        var (index, counts, means, m2s) = _buckets.Export();
        return new ModuleFeatureSnapshot
        {
            SchemaHash = FeatureSchema.Current.Hash,
            ModuleId = ModuleId,
            LastTicks = _lastTicks,
            LastValues = [.. _last],
            ObservedMask = _observedMask,
            SpikeReferences = [.. _spike.Select(s => s.Reference)],
            SpikeReferenceTicks = [.. _spike.Select(s => s.ReferenceTicks)],
            SpikeModes = [.. _spike.Select(s => s.Mode)],
            ShortTicks = shortTicks,
            ShortValues = shortValues,
            BucketIndexes = index,
            BucketCounts = counts,
            BucketMeans = means,
            BucketM2s = m2s,
            Counters = _counters,
            LastFeatures = Current is null ? null : [.. Current.Values],
            LastImputedMask = Current?.ImputedMask ?? 0,
            RunStartTicks = _runStartTicks,
        };
    }

    private static int Buckets(int seconds) => (int)(seconds * TimeSpan.TicksPerSecond / BucketWindow.BucketTicks);

    /// <summary>Rebuilds a state from a snapshot; then replay the readings logged after it.</summary>
    public static ModuleFeatureState FromSnapshot(ModuleFeatureSnapshot snapshot, FeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Format != ModuleFeatureSnapshot.CurrentFormat || snapshot.SchemaHash != FeatureSchema.Current.Hash)
        {
            throw new InvalidOperationException("Snapshot was written by different feature code; rebuild the module from the readings log instead.");
        }

        if (snapshot.LastValues.Length != Channels || snapshot.SpikeReferences.Length != Channels
            || snapshot.SpikeReferenceTicks.Length != Channels || snapshot.SpikeModes.Length != Channels
            || (snapshot.LastFeatures is { } lf && lf.Length != FeatureLayout.Count))
        {
            throw new ArgumentException("Snapshot per-channel arrays have the wrong length.", nameof(snapshot));
        }

        var state = new ModuleFeatureState(snapshot.ModuleId, options)
        {
            _lastTicks = snapshot.LastTicks,
            _runStartTicks = snapshot.RunStartTicks ?? snapshot.LastTicks,
            _observedMask = snapshot.ObservedMask,
            _counters = snapshot.Counters,
        };
        snapshot.LastValues.CopyTo(state._last, 0);
        for (var c = 0; c < Channels; c++)
        {
            state._spike[c] = new SpikeFilter.Channel
            {
                Reference = snapshot.SpikeReferences[c],
                ReferenceTicks = snapshot.SpikeReferenceTicks[c],
                Mode = snapshot.SpikeModes[c],
            };
        }

        state._short.Import(snapshot.ShortTicks, snapshot.ShortValues);
        state._buckets.Import(snapshot.BucketIndexes, snapshot.BucketCounts, snapshot.BucketMeans, snapshot.BucketM2s);
        if (snapshot.LastFeatures is { } features && snapshot.LastTicks is { } t)
        {
            state.Current = new FeatureVector(new DateTimeOffset(t, TimeSpan.Zero), [.. features], snapshot.ObservedMask, snapshot.LastImputedMask);
        }

        return state;
    }
}
