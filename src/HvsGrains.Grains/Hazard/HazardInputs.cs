using HvsGrains.Grains.Features;

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
        var m = HazardMeasures.From(features);
        return new HazardInputs(m.MaxSurfaceTempC, m.TempRateCPerMin, m.CoPpm, m.H2Ppm, m.VocPpm, m.VoltageV, m.VoltageDrop1mV, m.SocPercent);
    }
}
