namespace HvsGrains.Grains.Readings;

/// <summary>
/// The measured quantities of a module. The numeric order is the order of channels in the feature
/// vector, so append new channels at the end and bump <c>FeatureSchema.Version</c>.
/// </summary>
public enum SensorChannel
{
    Voltage = 0,
    Current = 1,
    Soc = 2,
    AvgSurfaceTemp = 3,
    MaxSurfaceTemp = 4,
    AmbientTemp = 5,
    Co = 6,
    H2 = 7,
    Voc = 8,
}
