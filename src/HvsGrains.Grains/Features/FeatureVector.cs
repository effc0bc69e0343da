using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Features;

/// <summary>
/// The features of one module at one reading, ordered as <see cref="FeatureSchema.Current"/>.
/// Float because the ONNX model takes float32 input.
/// </summary>
public sealed class FeatureVector
{
    private readonly float[] _values;

    internal FeatureVector(DateTimeOffset timestamp, float[] values, int observedMask, int imputedMask)
    {
        Timestamp = timestamp;
        _values = values;
        ObservedMask = observedMask;
        ImputedMask = imputedMask;
    }

    public static FeatureSchema Schema => FeatureSchema.Current;

    /// <summary>The feature names, in vector order.</summary>
    public static IReadOnlyList<string> FeatureNames => FeatureSchema.Current.Names;

    public DateTimeOffset Timestamp { get; }

    public IReadOnlyList<float> Values => _values;

    /// <summary>Bit per <see cref="SensorChannel"/>: the channel has reported at least once.</summary>
    public int ObservedMask { get; }

    /// <summary>Bit per <see cref="SensorChannel"/>: the value in this reading was imputed (forward-filled or defaulted).</summary>
    public int ImputedMask { get; }

    public float this[int index] => _values[index];

    public ReadOnlySpan<float> AsSpan() => _values;

    /// <summary>A feature by name; throws for an unknown name so a typo cannot silently read 0.</summary>
    public float Get(string name)
    {
        var i = FeatureSchema.Current.IndexOf(name);
        return i >= 0 ? _values[i] : throw new KeyNotFoundException($"No feature named '{name}'.");
    }

    public float Value(SensorChannel channel) => _values[FeatureLayout.Value + (int)channel];

    public bool IsObserved(SensorChannel channel) => (ObservedMask & (1 << (int)channel)) != 0;

    public bool IsImputed(SensorChannel channel) => (ImputedMask & (1 << (int)channel)) != 0;

    /// <summary>Rolling mean over the last <paramref name="minutes"/> (1, 5 or 10).</summary>
    public float RollingMean(SensorChannel channel, int minutes) => _values[FeatureLayout.RollingMean(WindowIndex(minutes), (int)channel)];

    /// <summary>Rolling population standard deviation over the last <paramref name="minutes"/> (1, 5 or 10).</summary>
    public float RollingStd(SensorChannel channel, int minutes) => _values[FeatureLayout.RollingStd(WindowIndex(minutes), (int)channel)];

    /// <summary>Max surface temperature change per minute over the 1-minute window (0 until 20 s of history).</summary>
    public float MaxSurfaceSlopePerMinute => _values[FeatureLayout.MaxSurfaceSlope1m];

    /// <summary>Voltage lost since the oldest sample of the 1-minute window (positive = drop).</summary>
    public float VoltageDrop1m => _values[FeatureLayout.VoltageDrop1m];

    private static int WindowIndex(int minutes) => minutes switch
    {
        1 => 0,
        5 => 1,
        10 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "Windows are 1, 5 and 10 minutes."),
    };
}
