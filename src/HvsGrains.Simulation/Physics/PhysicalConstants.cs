namespace HvsGrains.Simulation.Physics;

/// <summary>Constants shared by the physics code.</summary>
public static class PhysicalConstants
{
    /// <summary>Universal gas constant, J/(mol K).</summary>
    public const double GasConstant = 8.314462618;

    /// <summary>0 °C in kelvin.</summary>
    public const double ZeroCelsiusK = 273.15;

    /// <summary>Standard atmosphere, Pa.</summary>
    public const double AtmospherePa = 101_325.0;

    /// <summary>Molar volume of an ideal gas at 25 °C and 1 atm, m³/mol (RT/p).</summary>
    public const double MolarVolumeM3 = 0.024465;
}
