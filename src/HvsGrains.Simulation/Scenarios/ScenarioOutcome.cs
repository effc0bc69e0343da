using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>Per-module summary of a run.</summary>
public sealed record ModuleOutcome(string ModuleId, ModuleEvents Events, double MaxCoreC, double MaxSurfaceC, bool Vented);

/// <summary>Summary of a physics-only run: events per module and peak gas at the rack sensor.</summary>
public sealed record ScenarioOutcome(
    ScenarioSpec Spec,
    IReadOnlyList<ModuleOutcome> Modules,
    double MaxCoPpm,
    double MaxH2Ppm,
    double MaxVocPpm)
{
    /// <summary>True when any module crossed the point of no return.</summary>
    public bool AnyPnr => Modules.Any(m => m.Events.PnrReached);
}

/// <summary>A scenario's physics outcome and its time-ordered samples (all modules of one sample
/// time, then the next), as returned by <see cref="ScenarioRunner.Start"/>.</summary>
public sealed record ScenarioRun(ScenarioOutcome Outcome, IEnumerable<ModuleSample> Samples);
