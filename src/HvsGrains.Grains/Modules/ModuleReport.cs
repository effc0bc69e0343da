using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// What a module tells its rack: its level and the figures the rack compares across modules (peer
/// comparison) and the gas its reading carried, sent when they change materially and otherwise once per
/// summary interval of sensor time, not per reading: ingest throughput stays the module grain's.
/// </summary>
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
    [Id(20)] IReadOnlyList<string>? FaultyChannels = null,
    [Id(22)] AnomalyAdvisory? Anomaly = null)
{
    /// <summary>Hottest surface minus its 10-minute mean: how much the module rose lately (<see cref="PeerSample"/>).</summary>
    [Id(9)]
    public double? RiseC { get; init; }

    [Id(10)]
    public double? VoltageV { get; init; }

    /// <summary>The gas of the module's latest reading: the rack's air where sensors are per rack, its own where per module.</summary>
    [Id(11)]
    public GasSample? Gas { get; init; }

    /// <summary>The model's confirmed level before the corroboration cap (<see cref="HazardAssessment.ModelLevel"/>).</summary>
    [Id(12)]
    public HazardLevel ModelLevel { get; init; }

    public PeerSample Peer => new(MaxSurfaceTempC, RiseC, VoltageV);

    /// <summary>What a module tells its rack after a reading (the module grain and the policy evaluation build it alike).</summary>
    public static ModuleReport Of(
        string moduleId, string rackId, HazardAssessment? assessment, FeatureVector? features, SensorReading latest, string? modelVersion, bool ownGasSensor,
        IReadOnlyList<string>? faultyChannels = null, AnomalyAdvisory? anomaly = null)
    {
        ArgumentNullException.ThrowIfNull(latest);
        var peer = features is null ? default : PeerSample.From(features);
        var gas = new GasSample(latest.CoPpm, latest.H2Ppm, latest.VocPpm, latest.Timestamp, ownGasSensor ? moduleId : null);
        return new ModuleReport(
            moduleId,
            rackId,
            assessment?.Level ?? HazardLevel.Normal,
            peer.MaxSurfaceTempC,
            features?.MaxSurfaceSlopePerMinute,
            assessment?.ModelProbability,
            assessment?.Reasons.FirstOrDefault()?.Detail,
            latest.Timestamp,
            modelVersion,
            faultyChannels,
            anomaly)
        {
            RiseC = peer.RiseC,
            VoltageV = peer.VoltageV,
            Gas = gas.IsEmpty ? null : gas,
            ModelLevel = assessment?.ModelLevel ?? HazardLevel.Normal,
        };
    }

    /// <summary>
    /// True when the rack should hear this: a material change, or a summary interval of sensor time since the
    /// last report, which keeps the rack's peer picture current without a message per reading. A module at Watch or
    /// above reports every reading: the rack confirms a rise over sensor time between reports, and a steadily hot
    /// module would otherwise wait a whole summary interval (few modules are ever there).
    /// </summary>
    public bool IsDueAfter(ModuleReport? previous, TimeSpan summaryInterval) =>
        DiffersMateriallyFrom(previous) || Level >= HazardLevel.Watch || At - previous!.At >= summaryInterval;

    // Smaller moves are sensor noise to a rack; they would only cost messages.
    private const double TempStepC = 1.0;
    private const double RateStepCPerMin = 0.5;
    private const double ProbabilityStep = 0.05;
    private const double VoltageStepV = 0.3;
    private const double RiseStepC = 0.5;

    /// <summary>True when this report says something the rack does not know yet.</summary>
    public bool DiffersMateriallyFrom(ModuleReport? previous) =>
        previous is null
        || previous.Level != Level
        || previous.RackId != RackId
        || Moved(previous.MaxSurfaceTempC, MaxSurfaceTempC, TempStepC)
        || Moved(previous.TempRateCPerMin, TempRateCPerMin, RateStepCPerMin)
        || Moved(previous.HazardProbability, HazardProbability, ProbabilityStep)
        || !(previous.FaultyChannels ?? []).SequenceEqual(FaultyChannels ?? [])
        || (previous.Anomaly is null) != (Anomaly is null)
        || Moved(previous.RiseC, RiseC, RiseStepC)
        || Moved(previous.VoltageV, VoltageV, VoltageStepV)
        || previous.ModelLevel != ModelLevel
        || GasSample.DiffersMaterially(previous.Gas, Gas);

    private static bool Moved(double? before, double? now, double step) =>
        before.HasValue != now.HasValue || (before is { } b && now is { } n && Math.Abs(n - b) >= step);
}
