using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>Reading sequences for grain tests, each for a module of the test's own.</summary>
internal static class Hot
{
    /// <summary>A module heating 4 °C per 10 s: Critical within 30 readings.</summary>
    public static List<SensorReading> Runaway(string module, string rack, int count = 30, double fromSeconds = 0) =>
        Enumerable.Range(0, count).Select(i => TestReadings.At(fromSeconds + (i * 10), tempC: 30 + (i * 4), module: module, rack: rack)).ToList();

    /// <summary>A module at rest, one reading every 5 s.</summary>
    public static List<SensorReading> Calm(string module, string rack, int count, double fromSeconds = 0) =>
        Enumerable.Range(0, count).Select(i => TestReadings.At(fromSeconds + (i * 5), tempC: 25 + (i * 0.05), module: module, rack: rack)).ToList();
}
