using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Modules;

/// <summary>What a module tells its rack: its level and key figures, sent only when they change.</summary>
public sealed record ModuleReport(
    string ModuleId,
    string RackId,
    HazardLevel Level,
    double? MaxSurfaceTempC,
    double? TempRateCPerMin,
    double? HazardProbability,
    string? TopReason,
    DateTimeOffset At,
    string? ModelVersion = null)
{
    // Smaller moves are sensor noise to a rack; they would only cost messages.
    private const double TempStepC = 1.0;
    private const double RateStepCPerMin = 0.5;
    private const double ProbabilityStep = 0.05;

    /// <summary>True when this report says something the rack does not know yet.</summary>
    public bool DiffersMateriallyFrom(ModuleReport? previous) =>
        previous is null
        || previous.Level != Level
        || previous.RackId != RackId
        || Moved(previous.MaxSurfaceTempC, MaxSurfaceTempC, TempStepC)
        || Moved(previous.TempRateCPerMin, TempRateCPerMin, RateStepCPerMin)
        || Moved(previous.HazardProbability, HazardProbability, ProbabilityStep);

    private static bool Moved(double? before, double? now, double step) =>
        before.HasValue != now.HasValue || (before is { } b && now is { } n && Math.Abs(n - b) >= step);
}
