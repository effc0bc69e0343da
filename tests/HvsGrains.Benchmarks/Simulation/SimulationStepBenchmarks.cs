using BenchmarkDotNet.Attributes;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Benchmarks.Simulation;

/// <summary>
/// Issue requirement: at least 500,000 module-steps per second for normal operation (one step =
/// one second of one module). One invocation advances a 64-module rack by <see cref="Seconds"/>
/// one-second steps, so the reported Mean is per module-step (module-steps/s = 1e9 / Mean in ns).
/// <see cref="RackModel_Step"/> is the physics alone (string current alternating ±0.4 C every
/// 5 minutes, HVAC air at 22 °C); <see cref="ScenarioSession_Step"/> adds what a scenario run does
/// per step (load profile, ambient profile, fault schedule) for a catalogue "normal day".
/// </summary>
[MemoryDiagnoser]
public class SimulationStepBenchmarks
{
    public const int Modules = 64;
    public const int Seconds = 600;

    private RackModel _rack = null!;
    private ScenarioSession _session = null!;
    private long _t;

    [Params(Chemistry.Nmc, Chemistry.Lfp)]
    public Chemistry Chemistry { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ChemistryPreset p = ChemistryPreset.For(Chemistry);
        _rack = new RackModel(p, Modules, 22.0, 0.6);
        ScenarioSpec spec = ScenarioCatalogue.Create(Chemistry, FaultType.None, 1, 42, 0, TimeSpan.FromDays(30)) with
        {
            RackSize = Modules,
            Load = LoadProfileKind.FrequencyRegulation,
            Ambient = AmbientProfileKind.DayCycle,
        };
        _session = new ScenarioSession(spec, new RunnerOptions());
    }

    [Benchmark(OperationsPerInvoke = Modules * Seconds, Baseline = true)]
    public double RackModel_Step()
    {
        double amps = 0.4 * _rack.Chemistry.CapacityAh;
        for (int k = 0; k < Seconds; k++, _t++)
        {
            var env = new RackEnvironment(22.0, 300.0, 6.0, (_t / 300) % 2 == 0 ? amps : -amps);
            _rack.Step(1.0, in env);
        }

        return _rack.States[0].SurfaceC;
    }

    [Benchmark(OperationsPerInvoke = Modules * Seconds)]
    public double ScenarioSession_Step()
    {
        for (int k = 0; k < Seconds; k++)
        {
            _session.Step(1.0);
        }

        return _session.Rack.States[0].SurfaceC;
    }
}
