using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Modules;

/// <summary>What a module tells its rack: its level and key figures, sent only when they change.</summary>
[GenerateSerializer, Immutable, Alias("hvs.module-report")]
public sealed record ModuleReport(
    [Id(0)] string ModuleId,
    [Id(1)] string RackId,
    [Id(2)] HazardLevel Level,
    [Id(3)] double? MaxSurfaceTempC,
    [Id(4)] double? TempRateCPerMin,
    [Id(5)] double? HazardProbability,
    [Id(6)] string? TopReason,
    [Id(7)] DateTimeOffset At,
    [Id(8)] string? ModelVersion = null,
    [Id(20)] IReadOnlyList<string>? FaultyChannels = null)
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
        || Moved(previous.HazardProbability, HazardProbability, ProbabilityStep)
        || !(previous.FaultyChannels ?? []).SequenceEqual(FaultyChannels ?? []);

    private static bool Moved(double? before, double? now, double step) =>
        before.HasValue != now.HasValue || (before is { } b && now is { } n && Math.Abs(n - b) >= step);
}
