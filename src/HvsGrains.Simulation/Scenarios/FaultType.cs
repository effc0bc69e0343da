namespace HvsGrains.Simulation.Scenarios;

/// <summary>What a scenario does to its rack. Faults can emerge into runaway; the benign
/// look-alikes must not (and the physics gives them no way to).</summary>
public enum FaultType
{
    None,
    InternalShort,
    Overcharge,
    ExternalHeating,
    CoolingFailure,
    HvacFailure,
    HighLoad,
    SummerAfternoon,
    CellImbalance,
    SensorFault,

    /// <summary>Gas from outside the batteries drifting in: vehicle exhaust (severity 1) or smoke (2).</summary>
    ExternalGas,
}

/// <summary>Helpers on <see cref="FaultType"/>.</summary>
public static class FaultTypeExtensions
{
    /// <summary>True for normal operation and benign look-alikes.</summary>
    public static bool IsBenign(this FaultType f) =>
        f is FaultType.None or FaultType.HvacFailure or FaultType.HighLoad or FaultType.SummerAfternoon
            or FaultType.CellImbalance or FaultType.SensorFault or FaultType.ExternalGas;
}
