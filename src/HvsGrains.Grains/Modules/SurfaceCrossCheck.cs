using System.Globalization;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// The module's two surface thermistors check each other. A real hotspot grows by self-heating: the
/// max-over-average spread widens over minutes, which is what the rules and the model watch. A max
/// surface that leaps tens of degrees in one reading from a calm module while the average surface,
/// on the same housing, does not move is a thermistor fault (a spike to 118 °C beside 30 °C), not heat.
/// Such a value is set to missing before the features see it, so it is imputed like a gap.
/// </summary>
public static class SurfaceCrossCheck
{
    /// <summary>A module whose max surface is within this of its average is calm (thermistor offsets are tenths of a degree).</summary>
    public const double CalmSpreadC = 5;

    /// <summary>A one-reading rise of the max surface at least this big is a leap.</summary>
    public const double LeapC = 30;

    /// <summary>The average surface "did not move" when it changed by less than this.</summary>
    public const double StillC = 2;

    /// <summary>Why the reading's max surface is implausible beside the module's last values, or null.</summary>
    public static string? ImplausibleMaxSurface(SensorReading reading, FeatureVector? last)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (last is null || reading.MaxSurfaceTempC is not { } max || reading.AvgSurfaceTempC is not { } avg)
        {
            return null;
        }

        double lastMax = last.Value(SensorChannel.MaxSurfaceTemp), lastAvg = last.Value(SensorChannel.AvgSurfaceTemp);
        var calm = lastMax - lastAvg <= CalmSpreadC;
        return calm && max - lastMax >= LeapC && Math.Abs(avg - lastAvg) < StillC
            ? string.Create(CultureInfo.InvariantCulture,
                $"leapt from {lastMax:0.#} to {max:0.#} °C in one reading while avgSurfaceTempC stayed at {avg:0.#} °C")
            : null;
    }
}
