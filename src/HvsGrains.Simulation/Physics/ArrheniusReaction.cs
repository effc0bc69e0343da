namespace HvsGrains.Simulation.Physics;

/// <summary>
/// One exothermic decomposition reaction in the Hatchard et al. (2001) / Kim et al. (2007) form:
/// rate = A·exp(−Ea/RT)·f(progress); heat = ΔH · W · (consumed fraction).
/// </summary>
/// <param name="FrequencyFactor">A, 1/s.</param>
/// <param name="ActivationEnergy">Ea, J/mol.</param>
/// <param name="EnthalpyJPerKg">ΔH, J per kg of reactant (J/g × 1000).</param>
/// <param name="ReactantMassFraction">W / ρ_cell: kg of reactant per kg of cell.</param>
/// <param name="GasMolPerKg">Moles of gas released per kg of reactant consumed (see <see cref="GasYield"/>).</param>
/// <param name="Gas">Split of that gas between the sensed species.</param>
public readonly record struct ArrheniusReaction(
    double FrequencyFactor,
    double ActivationEnergy,
    double EnthalpyJPerKg,
    double ReactantMassFraction,
    double GasMolPerKg,
    GasYield Gas)
{
    /// <summary>k(T) = A·exp(−Ea/RT), 1/s.</summary>
    public double RateConstant(double temperatureK) =>
        FrequencyFactor * Math.Exp(-ActivationEnergy / (PhysicalConstants.GasConstant * temperatureK));

    /// <summary>Heat (J per kg of cell) released when a unit of progress variable is consumed.</summary>
    public double HeatPerUnitProgress => EnthalpyJPerKg * ReactantMassFraction;

    /// <summary>Gas (mol per kg of cell) released per unit of progress.</summary>
    public double GasPerUnitProgress => GasMolPerKg * ReactantMassFraction;
}

/// <summary>Mole fractions of the released gas that the rack sensors see (the rest is CO2, CH4, …).</summary>
/// <param name="H2">Hydrogen fraction.</param>
/// <param name="Co">Carbon monoxide fraction.</param>
/// <param name="Voc">Hydrocarbon / organic vapour fraction (PID-visible).</param>
public readonly record struct GasYield(double H2, double Co, double Voc);
