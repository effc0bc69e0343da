using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Turns a spec's fault and severity into per-module physics inputs over time.
/// Internal short severities are defined by the Joule power the final short dissipates per kg
/// of cell, so they mean the same thing for a 2 kg NMC and a 5.4 kg LFP cell.
/// </summary>
public sealed class FaultSchedule
{
    /// <summary>Final short power per kg of cell for severity 1..5, W/kg. Soft shorts of a few
    /// W/kg self-discharge without heating much; ≥ 50 W/kg overwhelm the ~1 W/K·kg cooling path.</summary>
    public static readonly double[] IscWattsPerKg = [5.0, 20.0, 60.0, 200.0, 1000.0];

    /// <summary>Time for the short to grow from 50× to its final conductance, per severity
    /// (slowly growing dendrite / particle shorts for the low severities; a hard short at once).</summary>
    public static readonly double[] IscGrowthHours = [4.0, 3.0, 2.0, 0.5, 0.0];

    /// <summary>Extra charge current for overcharge severities 1..3, in C.</summary>
    public static readonly double[] OverchargeCRate = [0.2, 0.5, 1.0];

    /// <summary>External heat for severities 1..3, W (hot busbar joint … adjacent fire).</summary>
    public static readonly double[] ExternalHeatW = [150.0, 400.0, 1000.0];

    private readonly ScenarioSpec _spec;
    private readonly ChemistryPreset _chem;
    private readonly double _startS;
    private readonly double _iscFinalOhm;
    private readonly double _iscGrowthS;

    public FaultSchedule(ScenarioSpec spec, ChemistryPreset chemistry)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(chemistry);
        _spec = spec;
        _chem = chemistry;
        _startS = spec.FaultStart.TotalSeconds;
        var rng = new SimRandom(spec.Seed, 0xF417);
        int sev = Math.Clamp(spec.Severity, 1, 5) - 1;
        double vNom = chemistry.Ocv.Volts(0.9);
        // ±30 % spread in final power within a severity class.
        double watts = IscWattsPerKg[sev] * chemistry.CellMassKg * rng.Uniform(0.7, 1.3);
        _iscFinalOhm = vNom * vNom / watts;
        _iscGrowthS = IscGrowthHours[sev] * 3600.0 * rng.Uniform(0.7, 1.3);
    }

    /// <summary>Writes the inputs for time t into the rack.</summary>
    public void Apply(double t, Span<ModuleInputs> inputs)
    {
        int m = _spec.FaultModule;
        int sev = Math.Clamp(_spec.Severity, 1, 5);
        bool active = t >= _startS;
        ref ModuleInputs inp = ref inputs[m];
        switch (_spec.Fault)
        {
            case FaultType.InternalShort when active:
                double x = _iscGrowthS <= 0 ? 1.0 : Math.Min(1.0, (t - _startS) / _iscGrowthS);
                inp.IscOhm = _iscFinalOhm * Math.Pow(50.0, 1.0 - x); // log-linear fall of R_isc
                break;
            case FaultType.Overcharge when active:
                inp.ExtraChargeCurrentA = OverchargeCRate[Math.Min(sev, 3) - 1] * _chem.CapacityAh;
                break;
            case FaultType.ExternalHeating when active:
                inp.ExternalHeatW = ExternalHeatW[Math.Min(sev, 3) - 1];
                break;
            case FaultType.CoolingFailure when active:
                inp.CoolingFactor = sev >= 2 ? 0.02 : 0.1;
                break;
            case FaultType.CellImbalance:
                inp.CellCapacityFactor = 0.85; // weak cell: 15 % capacity fade
                break;
            default:
                break;
        }
    }
}
