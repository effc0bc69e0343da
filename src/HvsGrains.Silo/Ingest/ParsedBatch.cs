namespace HvsGrains.Silo.Ingest;

/// <summary>
/// The outcome of parsing one batch: the good readings (kept even when others fail) and every
/// problem of the bad ones. <paramref name="Total"/> counts all elements/rows, good or bad.
/// </summary>
public sealed record ParsedBatch(IReadOnlyList<IndexedReading> Readings, IReadOnlyList<RejectedReading> Rejected, int Total)
{
    /// <summary>How many readings were rejected (a reading with several problems counts once).</summary>
    public int RejectedCount => Total - Readings.Count;

    /// <summary>Channels of accepted readings that were implausible: set to missing, imputed by their modules, reported as sensor faults.</summary>
    public IReadOnlyList<RejectedReading> InvalidChannels { get; init; } = [];
}
