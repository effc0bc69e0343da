using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Feed;

/// <summary>How the live feed runs its warehouse and where it sends the readings.</summary>
public sealed record FeedOptions
{
    /// <summary>Front door base address, e.g. http://127.0.0.1:5080 (readings go to /api/v1/readings).</summary>
    public required Uri Url { get; init; }

    /// <summary>Sent as the X-Api-Key header.</summary>
    public required string ApiKey { get; init; }

    public int Racks { get; init; } = 8;

    public int ModulesPerRack { get; init; } = 8;

    /// <summary>Simulated seconds per wall second; 1 = real time; 0 = as fast as the front door takes them.</summary>
    public double Speed { get; init; } = 60;

    /// <summary>Simulated span of the run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Interval between two readings of a module (the seed gateways send every 10 s).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Injected fault (<see cref="FaultType.None"/> for a quiet warehouse).</summary>
    public FaultType Fault { get; init; } = FaultType.None;

    /// <summary>Fault severity (1..5 for internal shorts, 1..3 for the others).</summary>
    public int Severity { get; init; } = 4;

    /// <summary>Module that gets the fault, e.g. RackA2_Module03; null = the middle module of the first rack.</summary>
    public string? FaultModule { get; init; }

    /// <summary>Simulated time from the start of the run to the fault.</summary>
    public TimeSpan FaultAt { get; init; } = TimeSpan.FromMinutes(10);

    public Chemistry Chemistry { get; init; } = Chemistry.Nmc;

    /// <summary>Where the site's gas sensors are: one detector per rack (its own readings, no module id) by default.</summary>
    public GasSensing GasSensing { get; init; } = GasSensing.PerRack;

    /// <summary>Most readings per POST.</summary>
    public int Batch { get; init; } = 500;

    /// <summary>When paced, a partly filled batch is sent once its oldest reading has waited this long (wall time).</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wall time between progress lines.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts per batch on transient failures (connection errors, timeouts, 408/429/5xx).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>First retry delay; doubles per attempt.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public ulong Seed { get; init; } = 1;

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(Url);
        ArgumentException.ThrowIfNullOrWhiteSpace(ApiKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(Racks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Racks, 26 * 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(ModulesPerRack, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ModulesPerRack, 99);
        ArgumentOutOfRangeException.ThrowIfNegative(Speed);
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        if (Duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Must be positive.");
        }

        if (SampleInterval <= TimeSpan.Zero || SampleInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleInterval), SampleInterval, "Must be a positive whole number of seconds.");
        }

        if (Speed is > 0 and < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Speed), Speed, "Use 1 (real time), more (accelerated) or 0 (unpaced).");
        }
    }
}
