using System.Globalization;

namespace HvsGrains.Grains.Anomaly;

/// <summary>
/// A module whose readings look unlike the normal operation the anomaly model learnt: an advisory for the
/// engineer on call, never a hazard level or an alarm. Times are sensor time (the readings').
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.anomaly-advisory")]
public sealed record AnomalyAdvisory(
    [Id(0)] double Score,
    [Id(1)] double Threshold,
    [Id(2)] DateTimeOffset FirstSeenAt,
    [Id(3)] DateTimeOffset LastSeenAt)
{
    /// <summary>What the advisory says, for the status and the site picture.</summary>
    public string Reason => string.Create(CultureInfo.InvariantCulture,
        $"Pattern unlike normal operation: anomaly score {Score:0.000} at or above the model's threshold {Threshold:0.000} (advisory; not a hazard)");
}
