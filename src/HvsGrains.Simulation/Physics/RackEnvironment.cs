namespace HvsGrains.Simulation.Physics;

/// <summary>Rack-wide boundary conditions for one step.</summary>
/// <param name="SupplyAirC">Temperature of the air the HVAC (or, if failed, the building) supplies, °C.</param>
/// <param name="AirExchangeWPerK">Ventilation conductance ṁ·cp to the supply air, W/K.</param>
/// <param name="AirChangesPerHour">Rack enclosure air changes per hour (dilutes off-gas).</param>
/// <param name="RackCurrentA">String current through every module, A; positive = discharge.</param>
public readonly record struct RackEnvironment(
    double SupplyAirC,
    double AirExchangeWPerK,
    double AirChangesPerHour,
    double RackCurrentA)
{
    /// <summary>Gas in the supply air from outside the batteries (vehicle exhaust, smoke), ppm above background.</summary>
    public double SupplyCoPpm { get; init; }

    public double SupplyH2Ppm { get; init; }

    public double SupplyVocPpm { get; init; }
}
