using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Silo.Feed;

/// <summary>
/// The simulated warehouse the embedded silo can feed itself with (section "Hvs:Feed"), so a
/// person can watch an alarm arrive without sensors. Off unless asked.
/// </summary>
public sealed class SimulatedFeedOptions
{
    public const string SectionName = "Hvs:Feed";

    public bool Enabled { get; set; }

    public int Racks { get; set; } = 8;

    public int ModulesPerRack { get; set; } = 8;

    /// <summary>Simulated seconds per wall second: 10 shows a short circuit's run-up in minutes.</summary>
    public double Speed { get; set; } = 10;

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(2);

    public FaultType Fault { get; set; } = FaultType.InternalShort;

    public int Severity { get; set; } = 4;

    public string FaultModule { get; set; } = "RackA2_Module03";

    public TimeSpan FaultAt { get; set; } = TimeSpan.FromMinutes(10);

    public Chemistry Chemistry { get; set; } = Chemistry.Nmc;

    /// <summary>Where the simulated site's gas sensors are: PerRack (default), PerModule, or SharedInModuleReadings.</summary>
    public GasSensing GasSensing { get; set; } = GasSensing.PerRack;
}
