using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Feed;

/// <summary>
/// A warehouse of racks × modules for the live feed: one <see cref="ScenarioSession"/> per rack
/// (same physics, sensors and profiles as the datasets), at most one faulted module. Each call
/// to <see cref="Next"/> advances every rack by one sample interval and returns the readings.
/// </summary>
public sealed class WarehouseSimulation
{
    private readonly ScenarioSession[] _racks;
    private readonly string[][] _moduleIds;
    private readonly int _faultRack = -1;
    private readonly int _faultIndex = -1;
    private readonly long _stepsPerSample;
    private readonly long _totalSteps;
    private long _steps;

    /// <summary>Builds the warehouse; readings are stamped <paramref name="start"/> + simulated time.</summary>
    public WarehouseSimulation(FeedOptions options, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        Start = start;
        Duration = options.Duration;
        _stepsPerSample = (long)options.SampleInterval.TotalSeconds;
        _totalSteps = (long)Math.Ceiling(options.Duration.TotalSeconds);
        RackIds = [.. Enumerable.Range(0, options.Racks).Select(RackId)];
        if (options.Fault != FaultType.None)
        {
            string target = options.FaultModule ?? $"{RackIds[0]}_Module{(options.ModulesPerRack / 2) + 1:D2}";
            for (int r = 0; r < options.Racks && _faultRack < 0; r++)
            {
                for (int m = 0; m < options.ModulesPerRack; m++)
                {
                    if (string.Equals($"{RackIds[r]}_Module{m + 1:D2}", target, StringComparison.OrdinalIgnoreCase))
                    {
                        (_faultRack, _faultIndex) = (r, m);
                        break;
                    }
                }
            }

            if (_faultRack < 0)
            {
                throw new ArgumentException(
                    $"Fault module '{target}' is not in this warehouse ({RackIds[0]}_Module01 … {RackIds[^1]}_Module{options.ModulesPerRack:D2}).",
                    nameof(options));
            }

            FaultModuleId = $"{RackIds[_faultRack]}_Module{_faultIndex + 1:D2}";
        }

        var rng = new SimRandom(options.Seed, 0xFEED);
        _racks = new ScenarioSession[options.Racks];
        _moduleIds = new string[options.Racks][];
        for (int r = 0; r < options.Racks; r++)
        {
            bool faulty = r == _faultRack;
            FaultType fault = faulty ? options.Fault : FaultType.None;
            var spec = new ScenarioSpec
            {
                Id = $"feed-{RackIds[r]}",
                Chemistry = options.Chemistry,
                Fault = fault,
                Severity = options.Severity,
                FaultStart = options.FaultAt,
                Duration = options.Duration,
                Seed = options.Seed + (ulong)r,
                RackSize = options.ModulesPerRack,
                FaultModule = faulty ? _faultIndex : 0,
                Ambient = AmbientProfileKind.DayCycle,
                Load = fault switch
                {
                    FaultType.Overcharge => LoadProfileKind.Idle, // the BMS fault forces the charge current
                    FaultType.CoolingFailure => LoadProfileKind.HighLoad, // a cooling fault matters under load
                    _ => LoadProfileKind.FrequencyRegulation,
                },
                RackId = RackIds[r],
                StartTime = start,
                GasSensing = options.GasSensing,
                // A short or overcharge is most dangerous in a full module (and the watcher wants to see it).
                InitialSoc = fault switch
                {
                    FaultType.Overcharge => 0.95,
                    FaultType.InternalShort => 0.9,
                    _ => rng.Uniform(0.4, 0.9),
                },
            };
            _racks[r] = new ScenarioSession(spec, new RunnerOptions { SampleInterval = options.SampleInterval });
            _moduleIds[r] = [.. Enumerable.Range(0, options.ModulesPerRack).Select(spec.ModuleId)];
        }
    }

    public DateTimeOffset Start { get; }

    public TimeSpan Duration { get; }

    public IReadOnlyList<string> RackIds { get; }

    /// <summary>The faulted module, or null when no fault is injected.</summary>
    public string? FaultModuleId { get; }

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Elapsed => TimeSpan.FromSeconds(_steps);

    public bool Finished => _steps >= _totalSteps;

    /// <summary>Module readings per call (plus one per rack where gas detectors are per rack).</summary>
    public int ModuleCount => _racks.Length * _moduleIds[0].Length;

    /// <summary>True state of the faulted module (null without a fault).</summary>
    public ModuleState? FaultModuleTruth => _faultRack >= 0 ? _racks[_faultRack].Rack.States[_faultIndex] : null;

    /// <summary>Simulated time of the faulted module's point of no return, if it has been crossed.</summary>
    public TimeSpan? FaultPnr => FaultModuleTruth is { Events.PnrReached: true } s ? TimeSpan.FromSeconds(s.Events.PnrS) : null;

    /// <summary>Advances one sample interval (less at the very end) and appends every module's reading to <paramref name="readings"/>.</summary>
    public void Next(ICollection<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (Finished)
        {
            throw new InvalidOperationException("The run is over.");
        }

        long steps = Math.Min(_stepsPerSample, _totalSteps - _steps);
        for (int r = 0; r < _racks.Length; r++)
        {
            ScenarioSession rack = _racks[r];
            for (long k = 0; k < steps; k++)
            {
                rack.Step(1.0);
            }
        }

        _steps += steps;
        DateTimeOffset ts = Start.AddSeconds(_steps);
        for (int r = 0; r < _racks.Length; r++)
        {
            ScenarioSession rack = _racks[r];
            int cells = rack.Chemistry.CellsInSeries;
            RackAir air = rack.Rack.Air;
            for (int m = 0; m < _moduleIds[r].Length; m++)
            {
                readings.Add(rack.Sensors[m].Read(in rack.Rack.States[m], in air, cells, rack.Rack.TimeS, _moduleIds[r][m], RackIds[r], ts));
            }

            if (rack.ReadRack(ts) is { } detector)
            {
                readings.Add(detector); // the rack's gas detector, sent without a module id
            }
        }
    }

    /// <summary>Rack ids as in the catalogue: RackA1 … RackA9, RackB1 …</summary>
    public static string RackId(int index) => $"Rack{(char)('A' + (index / 9))}{(index % 9) + 1}";
}
