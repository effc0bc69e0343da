namespace HvsGrains.Grains.Features;

/// <summary>Data-quality counters of one module, for dashboards and drift checks.</summary>
/// <param name="AppliedReadings">Readings that updated the state.</param>
/// <param name="LateReadings">Readings older than the newest seen; ignored.</param>
/// <param name="DuplicateReadings">Readings with the newest timestamp again; ignored.</param>
/// <param name="ImputedValues">Missing values forward-filled from the last good value.</param>
/// <param name="DefaultedValues">Missing values of a channel that never reported, set to its default.</param>
/// <param name="ClippedValues">Suspect single-sample spikes that were clipped.</param>
/// <param name="ShortWindowOverflows">Samples dropped from the 1-minute window because more than its capacity arrived within a minute.</param>
public readonly record struct FeatureCounters(
    long AppliedReadings,
    long LateReadings,
    long DuplicateReadings,
    long ImputedValues,
    long DefaultedValues,
    long ClippedValues,
    long ShortWindowOverflows);
