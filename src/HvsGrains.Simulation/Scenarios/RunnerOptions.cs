using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>How a scenario is run.</summary>
public sealed record RunnerOptions
{
    /// <summary>Output sample interval (1 s or 10 s typical); must be a multiple of the physics step.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Physics step, s. 1 s resolves the 1 °C/s trigger; fast phases are sub-stepped anyway.</summary>
    public double PhysicsStepS { get; init; } = 1.0;

    /// <summary>Event thresholds (PNR, onset, trigger).</summary>
    public EventCriteria Criteria { get; init; } = EventCriteria.Default;
}
