namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Hazard_Label = 1 for samples from (PNR − window) up to (PNR − guard). The window is the
/// warning horizon the model should learn (the issue allows 10–33 min; 20 min is the middle
/// and leaves operators time to isolate a rack). The guard (issue: 30–60 s) drops the last
/// seconds, where the runaway is already obvious and would only teach the model the trivial case.
/// </summary>
public sealed record HazardLabeler
{
    public TimeSpan PredictionWindow { get; init; } = TimeSpan.FromMinutes(20);
    public TimeSpan GuardBuffer { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>1 inside the warning window before the module's PNR, else 0.</summary>
    public int Label(DateTimeOffset timestamp, DateTimeOffset? pnrTime)
    {
        if (pnrTime is not { } pnr)
        {
            return 0;
        }

        return timestamp >= pnr - PredictionWindow && timestamp <= pnr - GuardBuffer ? 1 : 0;
    }

    /// <summary>Label of a simulated sample.</summary>
    public int Label(in ModuleSample sample) => Label(sample.Timestamp, sample.PnrTime);
}
