namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Air inside one rack enclosure: its temperature and the off-gas concentrations above the
/// building background that the rack's gas sensors see.
/// </summary>
public struct RackAir
{
    public double AirC;
    public double H2Ppm;
    public double CoPpm;
    public double VocPpm;

    /// <summary>Enclosure free air volume, m³ (a 2.2 m rack cabinet holds ~2 m³).</summary>
    public const double VolumeM3 = 2.0;

    /// <summary>Heat capacity of air plus rack steelwork (~100 kg × 500 J/kg K), J/K.</summary>
    public const double HeatCapacityJPerK = 55_000.0;

    /// <summary>
    /// Well-mixed box: dC/dt = ṅ·Vm/V·1e6 − λ·C, integrated implicitly (stable for any step).
    /// </summary>
    public static double Dilute(double ppm, double emittedMol, double dt, double airChangesPerHour, double supplyPpm = 0.0, double volumeM3 = VolumeM3)
    {
        double lambda = airChangesPerHour / 3600.0;
        double added = emittedMol * PhysicalConstants.MolarVolumeM3 / volumeM3 * 1e6;
        return (ppm + added + (lambda * dt * supplyPpm)) / (1.0 + (lambda * dt));
    }

    /// <summary>Air next to one module that its own gas sensor samples, m³ (the gap between module and rack wall).</summary>
    public const double LocalVolumeM3 = 0.1;

    /// <summary>Exchanges per hour between that local air and the rack air: it mixes in about a minute.</summary>
    public const double LocalExchangesPerHour = 60.0;
}
