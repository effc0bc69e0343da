namespace HvsGrains.Simulation.Physics;

/// <summary>
/// True state of one module. The module is lumped into two nodes: the "core" is the jelly
/// roll of its hottest (possibly faulty) cell, where faults and decomposition act; the
/// "surface" is the module body (all other cells plus housing), which exchanges heat with the
/// rack air and neighbouring modules. Plain fields: the rack keeps these in an array and
/// steps them in place without allocating.
/// </summary>
public struct ModuleState
{
    public double CoreC;
    public double SurfaceC;
    /// <summary>SoC of the module body cells (fraction; &gt; 1 when overcharged).</summary>
    public double Soc;
    /// <summary>SoC of the hottest cell (drained by an internal short).</summary>
    public double CellSoc;
    public ReactionState Reactions;

    // Gas held inside the sealed cell until the vent opens, mol.
    public double StoredGasMol;
    public double StoredH2Mol;
    public double StoredCoMol;
    public double StoredVocMol;
    public bool Vented;

    /// <summary>Off-gas of this module in the air right next to it, above the rack air, ppm.</summary>
    public double LocalH2Ppm;
    public double LocalCoPpm;
    public double LocalVocPpm;
    /// <summary>Liquid electrolyte left to evaporate after venting, kg.</summary>
    public double ElectrolyteLeftKg;

    // Outputs of the last step (what sensors would see, before sensor imperfections).
    public double TerminalVoltageV;
    public double CurrentA;
    public double CoreRateCPerS;
    public double SelfHeatRateCPerS;
    public double IscPowerW;
    public double GaugePressurePa;

    public ModuleEvents Events;

    /// <summary>Hottest point of the module surface: the failing cell's can sits between its
    /// core and the module body, taken half-way for a symmetric lumped wall.</summary>
    public readonly double MaxSurfaceC => SurfaceC + (0.5 * (CoreC - SurfaceC));
}
