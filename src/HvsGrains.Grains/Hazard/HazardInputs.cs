using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Hazard;

/// <summary>
/// The figures the deterministic rules look at. Null means the sensor has never reported, so its
/// rule stays silent rather than firing on a default.
/// </summary>
public sealed record HazardInputs(
    double? MaxSurfaceTempC,
    double? TempRateCPerMin,
    double? CoPpm,
    double? H2Ppm,
    double? VocPpm,
    double? VoltageV,
    double? VoltageDrop1mV,
    double? SocPercent)
{
    public static HazardInputs FromFeatures(FeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(features);
        double? Observed(SensorChannel c, float value) => features.IsObserved(c) ? value : null;
        return new HazardInputs(
            Observed(SensorChannel.MaxSurfaceTemp, features.Value(SensorChannel.MaxSurfaceTemp)),
            Observed(SensorChannel.MaxSurfaceTemp, features.MaxSurfaceSlopePerMinute),
            Observed(SensorChannel.Co, features.Value(SensorChannel.Co)),
            Observed(SensorChannel.H2, features.Value(SensorChannel.H2)),
            Observed(SensorChannel.Voc, features.Value(SensorChannel.Voc)),
            Observed(SensorChannel.Voltage, features.Value(SensorChannel.Voltage)),
            Observed(SensorChannel.Voltage, features.VoltageDrop1m),
            Observed(SensorChannel.Soc, features.Value(SensorChannel.Soc)));
    }
}
