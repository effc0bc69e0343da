using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests;

/// <summary>Builds plausible readings for one module so tests only state what matters to them.</summary>
internal static class TestReadings
{
    public const string Module = "RackA2_Module01";
    public const string Rack = "RackA2";
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A rack id no other test uses, so tests sharing a cluster do not share grains.</summary>
    public static string NewRack() => "Rack" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Module <paramref name="slot"/> of <paramref name="rack"/>; ids sort by slot, as neighbours do.</summary>
    public static string ModuleOf(string rack, int slot = 1) => $"{rack}_Module{slot:D2}";

    public static SensorReading At(double seconds, double tempC = 25, double? voltage = 51.2, string module = Module, string rack = Rack) => new(
        module,
        rack,
        Start.AddSeconds(seconds),
        VoltageV: voltage,
        CurrentA: 10,
        SocPercent: 60,
        AvgSurfaceTempC: tempC,
        MaxSurfaceTempC: tempC + 1,
        AmbientTempC: 22,
        CoPpm: 1,
        H2Ppm: 0.5,
        VocPpm: 0.2);
}
