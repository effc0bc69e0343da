using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// A cheap, immutable description of one scenario: one rack of modules, one fault (or benign
/// condition) on module <see cref="FaultModule"/>. Running it is deterministic in <see cref="Seed"/>.
/// </summary>
public sealed record ScenarioSpec
{
    public required string Id { get; init; }
    public required Chemistry Chemistry { get; init; }
    public required FaultType Fault { get; init; }
    /// <summary>1 (mildest) .. 5 (most severe); meaning depends on the fault (see <see cref="FaultSchedule"/>).</summary>
    public int Severity { get; init; } = 1;
    public TimeSpan FaultStart { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(6);
    public ulong Seed { get; init; }
    public int RackSize { get; init; } = 8;
    /// <summary>Index of the affected module (0-based).</summary>
    public int FaultModule { get; init; }
    public AmbientProfileKind Ambient { get; init; } = AmbientProfileKind.Controlled;
    public LoadProfileKind Load { get; init; } = LoadProfileKind.DailyCycle;
    /// <summary>Rack id, e.g. "RackA2"; module ids are derived as RackA2_Module01.</summary>
    public string RackId { get; init; } = "RackA1";
    public DateTimeOffset StartTime { get; init; } = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    public double InitialSoc { get; init; } = 0.5;

    /// <summary>Where the site's gas sensors are (a site setting); datasets keep the rack air in every module reading.</summary>
    public GasSensing GasSensing { get; init; } = GasSensing.SharedInModuleReadings;

    /// <summary>Module id in the shared format, e.g. RackA2_Module01 (1-based).</summary>
    public string ModuleId(int index) => $"{RackId}_Module{index + 1:D2}";
}
