namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Empirical cell internal resistance R(SoC, T): an Arrhenius temperature factor (ionic
/// conductivity and charge transfer slow down in the cold) times a rise at low SoC, as in
/// equivalent-circuit fits of HPPC data (e.g. Hu, Li &amp; Peng 2012, J. Power Sources 198).
/// </summary>
/// <param name="ReferenceOhm">DC resistance at 25 °C and mid SoC, Ω.</param>
/// <param name="ActivationEnergy">Apparent activation energy of R, J/mol (HPPC fits give 20–35 kJ/mol).</param>
/// <param name="LowSocRise">Relative increase of R at 0 % SoC (rises linearly below 20 % SoC).</param>
public readonly record struct InternalResistanceModel(double ReferenceOhm, double ActivationEnergy, double LowSocRise)
{
    private const double ReferenceK = 298.15;

    /// <summary>Resistance in Ω. Temperature is clamped to −20..80 °C: beyond that the fit is not
    /// valid and the dominating heat is chemical anyway.</summary>
    public double Ohm(double soc, double temperatureC)
    {
        double tK = Math.Clamp(temperatureC, -20.0, 80.0) + PhysicalConstants.ZeroCelsiusK;
        double thermal = Math.Exp(ActivationEnergy / PhysicalConstants.GasConstant * ((1.0 / tK) - (1.0 / ReferenceK)));
        double socFactor = soc < 0.2 ? 1.0 + (LowSocRise * (0.2 - Math.Max(soc, 0.0)) / 0.2) : 1.0;
        return ReferenceOhm * thermal * socFactor;
    }
}
