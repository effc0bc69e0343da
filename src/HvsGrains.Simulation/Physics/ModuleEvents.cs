namespace HvsGrains.Simulation.Physics;

/// <summary>Simulation times (s since start) of a module's events; NaN until they happen.</summary>
public struct ModuleEvents
{
    public double SelfHeatingOnsetS;
    public double VentS;
    public double RunawayTriggerS;
    public double PnrS;

    /// <summary>No event yet.</summary>
    public static ModuleEvents None => new()
    {
        SelfHeatingOnsetS = double.NaN,
        VentS = double.NaN,
        RunawayTriggerS = double.NaN,
        PnrS = double.NaN,
    };

    /// <summary>True once the point of no return has been crossed.</summary>
    public readonly bool PnrReached => !double.IsNaN(PnrS);
}
