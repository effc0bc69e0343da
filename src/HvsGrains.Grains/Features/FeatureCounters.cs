namespace HvsGrains.Grains.Features;

/// <summary>Data-quality counters of one module, for dashboards and drift checks.</summary>
/// <param name="AppliedReadings">Readings that updated the state.</param>
/// <param name="LateReadings">Readings older than the newest seen; ignored.</param>
/// <param name="DuplicateReadings">Readings with the newest timestamp again; ignored.</param>
/// <param name="ImputedValues">Missing values forward-filled from the last good value.</param>
/// <param name="DefaultedValues">Missing values of a channel that never reported, set to its default.</param>
/// <param name="ClippedValues">Suspect single-sample spikes that were clipped.</param>
/// <param name="ShortWindowOverflows">Samples dropped from the 1-minute window because more than its capacity arrived within a minute.</param>
[GenerateSerializer, Immutable, Alias("hvs.feature-counters")]
public readonly record struct FeatureCounters(
    [Id(0)] long AppliedReadings,
    [Id(1)] long LateReadings,
    [Id(2)] long DuplicateReadings,
    [Id(3)] long ImputedValues,
    [Id(4)] long DefaultedValues,
    [Id(5)] long ClippedValues,
    [Id(6)] long ShortWindowOverflows);
