using HvsGrains.Grains.ReadingLog;

namespace HvsGrains.Silo.Ingest;

/// <summary>What happened to a batch: counts, and each rejected reading with its field and reason.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<RejectedReading> Rejected)
{
    /// <summary>Implausible channels of accepted readings, by index, field and reason: kept without them.</summary>
    public IReadOnlyList<RejectedReading> InvalidChannels { get; init; } = [];
}

/// <summary>
/// Takes parsed readings in: appends them to the durable log (so an acknowledged reading is never lost).
/// The log hands each new one, in commit order, to <see cref="ModuleDispatcher"/> before it answers.
/// </summary>
public sealed class ReadingIngestor(IReadingLog log, SiloMetrics metrics, TimeProvider clock)
{
    public async Task<IngestResult> IngestAsync(ParsedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var readings = batch.Readings.Select(r => r.Reading).ToList();
        var started = clock.GetTimestamp();
        // Not cancelled by the client going away: once queued, the append completes either way.
        var sequences = await log.AppendAsync(readings, CancellationToken.None).WaitAsync(cancellationToken);
        metrics.LogCommitted(readings.Count, clock.GetElapsedTime(started));

        var accepted = sequences.Count(s => s != 0);
        metrics.ReadingsIngested(accepted, readings.Count - accepted, batch.Rejected.Count);
        return new IngestResult(accepted, readings.Count - accepted, batch.Rejected) { InvalidChannels = batch.InvalidChannels };
    }
}
