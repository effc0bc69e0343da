using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Features;

/// <summary>Where each feature sits in the vector. The names in <see cref="FeatureSchema"/> are built from the same offsets.</summary>
internal static class FeatureLayout
{
    public const int ChannelCount = SensorChannels.Count;

    /// <summary>Rolling windows in seconds, in feature order, with their name labels.</summary>
    public static readonly (int Seconds, string Label)[] Windows = [(60, "1m"), (300, "5m"), (600, "10m")];

    /// <summary>Channels that get a per-second rate feature: the temperatures, whose rate is the runaway signature.</summary>
    public static readonly SensorChannel[] RateChannels = [SensorChannel.AvgSurfaceTemp, SensorChannel.MaxSurfaceTemp, SensorChannel.AmbientTemp];

    public const int Value = 0;
    public const int Delta = Value + ChannelCount;
    public const int Rate = Delta + ChannelCount;
    public const int Rolling = Rate + 3;
    public const int SurfaceSpread = Rolling + (3 * ChannelCount * 2);
    public const int SurfaceOverAmbient = SurfaceSpread + 1;
    public const int MaxSurfaceSlope1m = SurfaceOverAmbient + 1;
    public const int VoltageDrop1m = MaxSurfaceSlope1m + 1;
    public const int Count = VoltageDrop1m + 1;

    public static int RollingMean(int window, int channel) => Rolling + (((window * ChannelCount) + channel) * 2);

    public static int RollingStd(int window, int channel) => RollingMean(window, channel) + 1;

    public static string[] BuildNames()
    {
        var names = new string[Count];
        for (var c = 0; c < ChannelCount; c++)
        {
            var col = SensorChannels.All[c].CsvColumn;
            names[Value + c] = col;
            names[Delta + c] = $"Delta_{col}";
            for (var w = 0; w < Windows.Length; w++)
            {
                names[RollingMean(w, c)] = $"Rolling_mean_{Windows[w].Label}_{col}";
                names[RollingStd(w, c)] = $"Rolling_std_{Windows[w].Label}_{col}";
            }
        }

        for (var r = 0; r < RateChannels.Length; r++)
        {
            names[Rate + r] = $"Rate_{SensorChannels.Get(RateChannels[r]).CsvColumn}_per_s";
        }

        names[SurfaceSpread] = "Surface_Spread_Max_minus_Avg_C";
        names[SurfaceOverAmbient] = "Surface_Avg_minus_Ambient_C";
        names[MaxSurfaceSlope1m] = "Slope_1m_Module_Max_Surface_Temp_C_per_min";
        names[VoltageDrop1m] = "Drop_1m_Module_Voltage_V";
        return names;
    }
}
