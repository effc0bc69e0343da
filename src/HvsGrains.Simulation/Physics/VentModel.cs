namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Cell internal pressure and electrolyte vapour. Pressure = trapped air (heated at constant
/// volume) + solvent vapour (Raoult: linear-carbonate mole fraction × Clausius–Clapeyron
/// vapour pressure of DMC) + decomposition gas (ideal gas in the headspace).
/// </summary>
public static class VentModel
{
    // DMC: normal boiling point 90 °C, ΔH_vap ≈ 38 kJ/mol (NIST WebBook). It dominates the
    // vapour pressure of carbonate electrolytes; EC (bp 248 °C) contributes little.
    private const double DmcBoilingK = 363.15;
    private const double DmcHvap = 38_000.0;

    /// <summary>Mole fraction of volatile linear carbonates in a typical EC:DMC(:EMC) electrolyte.</summary>
    public const double VolatileFraction = 0.5;

    /// <summary>Electrolyte molar mass used to convert evaporated mass to moles (≈ DMC/EMC 90–104 g/mol).</summary>
    public const double ElectrolyteMolarMassKg = 0.1;

    /// <summary>Partial vapour pressure of the electrolyte, Pa.</summary>
    public static double VapourPressurePa(double temperatureC)
    {
        double tK = temperatureC + PhysicalConstants.ZeroCelsiusK;
        return VolatileFraction * PhysicalConstants.AtmospherePa
            * Math.Exp(-DmcHvap / PhysicalConstants.GasConstant * ((1.0 / tK) - (1.0 / DmcBoilingK)));
    }

    /// <summary>Gauge pressure inside a sealed cell, Pa.</summary>
    public static double GaugePressurePa(double temperatureC, double gasMol, double headspaceM3)
    {
        double tK = temperatureC + PhysicalConstants.ZeroCelsiusK;
        double air = PhysicalConstants.AtmospherePa * tK / 298.15; // sealed at 25 °C, 1 atm
        double gas = gasMol * PhysicalConstants.GasConstant * tK / headspaceM3;
        return air + VapourPressurePa(temperatureC) + gas - PhysicalConstants.AtmospherePa;
    }
}
