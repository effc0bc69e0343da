namespace HvsGrains.Simulation.Physics;

/// <summary>Per-module fault and condition inputs for the next step (set by the scenario).</summary>
public struct ModuleInputs
{
    /// <summary>Internal short resistance in the hottest cell, Ω; +∞ when there is none.</summary>
    public double IscOhm;

    /// <summary>External heat applied to the module (hot busbar joint, heater, fire), W.</summary>
    public double ExternalHeatW;

    /// <summary>Multiplier on surface→air convection: 1 nominal, ~0.1 when the module fan/plate fails.</summary>
    public double CoolingFactor;

    /// <summary>Charge current forced into this module beyond the rack current (BMS failure), A.</summary>
    public double ExtraChargeCurrentA;

    /// <summary>Capacity of the hottest cell relative to nominal (cell imbalance / ageing).</summary>
    public double CellCapacityFactor;

    /// <summary>Nominal inputs: no fault.</summary>
    public static ModuleInputs Nominal => new()
    {
        IscOhm = double.PositiveInfinity,
        CoolingFactor = 1.0,
        CellCapacityFactor = 1.0,
    };
}
