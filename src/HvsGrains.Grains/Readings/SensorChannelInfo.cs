namespace HvsGrains.Grains.Readings;

/// <summary>
/// Names and unit of one sensor channel: the seed CSV column (also the feature-name stem),
/// older CSV aliases, the camelCase JSON property of <see cref="SensorReading"/>, and the
/// physically possible range used by <see cref="ReadingLimits.Default"/>.
/// </summary>
public sealed record SensorChannelInfo(
    SensorChannel Channel,
    string CsvColumn,
    IReadOnlyList<string> CsvAliases,
    string JsonName,
    string Unit,
    double PhysicalMin,
    double PhysicalMax);
