namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Progress variables of the four decomposition reactions (Kim et al. 2007 notation):
/// c_sei, c_neg, z (SEI thickness for tunnelling), α (cathode conversion), c_e.
/// </summary>
public struct ReactionState
{
    public double Csei;
    public double Cneg;
    public double Z;
    public double Alpha;
    public double Ce;
    /// <summary>Share of the separator-collapse short still to come (1 → 0).</summary>
    public double Sep;

    /// <summary>Fresh cell state for a chemistry.</summary>
    public static ReactionState Fresh(ChemistryPreset p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new ReactionState
        {
            Csei = p.SeiInitial,
            Cneg = p.AnodeInitial,
            Z = p.TunnellingZ0,
            Alpha = p.CathodeAlphaInitial,
            Ce = 1.0,
            Sep = 1.0,
        };
    }
}

/// <summary>What one kinetics step released, per kg of cell.</summary>
public struct ReactionRelease
{
    public double HeatJPerKg;
    public double GasMolPerKg;
    public double H2MolPerKg;
    public double CoMolPerKg;
    public double VocMolPerKg;
    /// <summary>Gas from SEI + anode reactions only (these dominate below ~150 °C).</summary>
    public double AnodeGasMolPerKg;
}
