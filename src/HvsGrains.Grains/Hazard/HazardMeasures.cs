using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Hazard;

/// <summary>The figures of <see cref="HazardInputs"/> as a struct, so evaluating a reading's features allocates no inputs record.</summary>
internal readonly record struct HazardMeasures(
    double? MaxSurfaceTempC,
    double? TempRateCPerMin,
    double? CoPpm,
    double? H2Ppm,
    double? VocPpm,
    double? VoltageV,
    double? VoltageDrop1mV,
    double? SocPercent)
{
    public static HazardMeasures From(FeatureVector features)
    {
        double? Observed(SensorChannel c, float value) => features.IsObserved(c) ? value : null;
        return new(
            Observed(SensorChannel.MaxSurfaceTemp, features.Value(SensorChannel.MaxSurfaceTemp)),
            Observed(SensorChannel.MaxSurfaceTemp, features.MaxSurfaceSlopePerMinute),
            Observed(SensorChannel.Co, features.Value(SensorChannel.Co)),
            Observed(SensorChannel.H2, features.Value(SensorChannel.H2)),
            Observed(SensorChannel.Voc, features.Value(SensorChannel.Voc)),
            Observed(SensorChannel.Voltage, features.Value(SensorChannel.Voltage)),
            Observed(SensorChannel.Voltage, features.VoltageDrop1m),
            Observed(SensorChannel.Soc, features.Value(SensorChannel.Soc)));
    }

    public static HazardMeasures From(HazardInputs inputs) => new(
        inputs.MaxSurfaceTempC,
        inputs.TempRateCPerMin,
        inputs.CoPpm,
        inputs.H2Ppm,
        inputs.VocPpm,
        inputs.VoltageV,
        inputs.VoltageDrop1mV,
        inputs.SocPercent);
}
