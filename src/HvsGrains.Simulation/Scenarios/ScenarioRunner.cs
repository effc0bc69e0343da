using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>Receives one sample; <c>in</c> avoids copying the struct.</summary>
public delegate void SampleSink(in ModuleSample sample);

/// <summary>
/// Runs scenario specs. <see cref="Simulate"/> is physics only (events, peaks); <c>Run</c>
/// streams per-module samples at the chosen interval. Because the labeller needs each module's
/// PNR time before it happens, <c>Run</c> first simulates the physics once (cheap and
/// deterministic: the second pass reproduces it exactly) and attaches the PNR time to every sample.
/// </summary>
public sealed class ScenarioRunner(RunnerOptions? options = null)
{
    private readonly RunnerOptions _options = options ?? new RunnerOptions();

    /// <summary>Physics-only run: per-module events and the peak gas at the rack sensor.</summary>
    public ScenarioOutcome Simulate(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var session = new ScenarioSession(spec, _options);
        int n = spec.RackSize;
        var maxCore = new double[n];
        var maxSurface = new double[n];
        Array.Fill(maxCore, double.MinValue);
        Array.Fill(maxSurface, double.MinValue);
        double maxCo = 0, maxH2 = 0, maxVoc = 0;
        double dt = _options.PhysicsStepS;
        long steps = (long)Math.Round(spec.Duration.TotalSeconds / dt);
        for (long k = 0; k < steps; k++)
        {
            session.Step(dt);
            Span<ModuleState> states = session.Rack.States;
            for (int i = 0; i < n; i++)
            {
                maxCore[i] = Math.Max(maxCore[i], states[i].CoreC);
                maxSurface[i] = Math.Max(maxSurface[i], states[i].SurfaceC);
            }

            ref readonly RackAir air = ref session.Rack.Air;
            maxCo = Math.Max(maxCo, air.CoPpm);
            maxH2 = Math.Max(maxH2, air.H2Ppm);
            maxVoc = Math.Max(maxVoc, air.VocPpm);
        }

        var modules = new ModuleOutcome[n];
        for (int i = 0; i < n; i++)
        {
            ModuleState s = session.Rack.States[i];
            modules[i] = new ModuleOutcome(spec.ModuleId(i), s.Events, maxCore[i], maxSurface[i], s.Vented);
        }

        return new ScenarioOutcome(spec, modules, maxCo, maxH2, maxVoc);
    }

    /// <summary>Streams samples of every module at the sample interval.</summary>
    public IEnumerable<ModuleSample> Run(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ScenarioOutcome outcome = Simulate(spec);
        return Stream(spec, outcome);
    }

    /// <summary>
    /// Simulates the physics once (for the events) and returns the outcome together with a lazy
    /// stream of samples that carry each module's PNR time. Enumerate the samples once.
    /// </summary>
    public ScenarioRun Start(ScenarioSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ScenarioOutcome outcome = Simulate(spec);
        return new ScenarioRun(outcome, Stream(spec, outcome));
    }

    /// <summary>Pushes samples into a callback instead of an enumerator.</summary>
    public void Run(ScenarioSpec spec, SampleSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        foreach (ModuleSample sample in Run(spec))
        {
            sink(in sample);
        }
    }

    private IEnumerable<ModuleSample> Stream(ScenarioSpec spec, ScenarioOutcome outcome)
    {
        var session = new ScenarioSession(spec, _options);
        int n = spec.RackSize;
        var ids = new string[n];
        var pnr = new DateTimeOffset?[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = spec.ModuleId(i);
            double p = outcome.Modules[i].Events.PnrS;
            pnr[i] = double.IsNaN(p) ? null : spec.StartTime.AddSeconds(p);
        }

        int cells = session.Chemistry.CellsInSeries;
        foreach (double t in session.SampleTimes())
        {
            DateTimeOffset ts = spec.StartTime.AddSeconds(t);
            RackAir air = session.Rack.Air;
            for (int i = 0; i < n; i++)
            {
                ModuleState s = session.Rack.States[i];
                SensorReading reading = session.Sensors[i].Read(in s, in air, cells, t, ids[i], spec.RackId, ts);
                var truth = new ModuleTruth(
                    s.CoreC, s.SurfaceC, s.MaxSurfaceC, s.Soc, s.CellSoc, s.CoreRateCPerS,
                    s.SelfHeatRateCPerS * 60.0, s.IscPowerW, s.Vented, air.AirC, air.CoPpm, air.H2Ppm, air.VocPpm);
                FaultType fault = i == spec.FaultModule ? spec.Fault : FaultType.None;
                yield return new ModuleSample(ts, t, spec.Id, spec.RackId, ids[i], i, truth, reading, fault, pnr[i]);
            }
        }
    }
}
