using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>One live run of a spec: the rack plus its profiles, fault schedule and sensors.</summary>
internal sealed class ScenarioSession
{
    private readonly AmbientProfile _ambient;
    private readonly LoadProfile _load;
    private readonly FaultSchedule _faults;
    private readonly ExternalGasProfile _outsideGas;

    private readonly RunnerOptions _options;

    public ScenarioSession(ScenarioSpec spec, RunnerOptions options)
    {
        Spec = spec;
        _options = options;
        Chemistry = ChemistryPreset.For(spec.Chemistry);
        _ambient = new AmbientProfile(spec);
        _load = new LoadProfile(spec, Chemistry.CapacityAh);
        _faults = new FaultSchedule(spec, Chemistry);
        _outsideGas = new ExternalGasProfile(spec);
        double t0 = _ambient.At(0, 0).SupplyAirC;
        Rack = new RackModel(Chemistry, spec.RackSize, t0, spec.InitialSoc, options.Criteria);
        if (spec.Fault == FaultType.CellImbalance)
        {
            Rack.States[spec.FaultModule].CellSoc -= 0.08; // weak cell sits 8 % lower
        }

        Sensors = new SensorModel[spec.RackSize];
        var sensorFault = spec.Fault == FaultType.SensorFault ? (SensorFaultKind)Math.Clamp(spec.Severity, 1, 5) : SensorFaultKind.None;
        for (int i = 0; i < spec.RackSize; i++)
        {
            Sensors[i] = new SensorModel(spec.Seed, i, i == spec.FaultModule ? sensorFault : SensorFaultKind.None, spec.FaultStart.TotalSeconds, spec.GasSensing);
        }

        RackDetector = new SensorModel(spec.Seed, spec.RackSize + 1000, SensorFaultKind.None, 0, spec.GasSensing);
    }

    public ScenarioSpec Spec { get; }
    public ChemistryPreset Chemistry { get; }
    public RackModel Rack { get; }
    public SensorModel[] Sensors { get; }

    /// <summary>The rack's own gas detector (used where <see cref="ScenarioSpec.GasSensing"/> is per rack).</summary>
    public SensorModel RackDetector { get; }

    /// <summary>The rack detector's reading, or null where gas sensors are not per rack.</summary>
    public Grains.Readings.SensorReading? ReadRack(DateTimeOffset timestamp) =>
        Spec.GasSensing == GasSensing.PerRack ? RackDetector.ReadRack(in Rack.Air, Spec.RackId, timestamp) : null;

    /// <summary>
    /// Steps the physics through the whole run and yields at each sample time (seconds since the start), with the rack
    /// at that time: whole physics steps per sample, as near the sample interval as the step allows.
    /// </summary>
    public IEnumerable<double> SampleTimes()
    {
        double dt = _options.PhysicsStepS;
        long perSample = Math.Max(1, (long)Math.Round(_options.SampleInterval.TotalSeconds / dt));
        long steps = (long)Math.Round(Spec.Duration.TotalSeconds / dt);
        for (long k = 1; k <= steps; k++)
        {
            Step(dt);
            if (k % perSample == 0)
            {
                yield return Rack.TimeS;
            }
        }
    }

    /// <summary>Advances one physics step.</summary>
    public void Step(double dt)
    {
        double t = Rack.TimeS;
        double meanSoc = 0;
        foreach (ref readonly ModuleState s in Rack.States)
        {
            meanSoc += s.Soc;
        }

        meanSoc /= Rack.ModuleCount;
        double current = _load.CurrentA(t, dt, meanSoc);
        _faults.Apply(t, Rack.Inputs);
        RackEnvironment env = _outsideGas.Apply(_ambient.At(t, current), t);
        Rack.Step(dt, in env);
    }
}
