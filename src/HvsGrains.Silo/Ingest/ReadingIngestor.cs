using HvsGrains.Grains.ReadingLog;

namespace HvsGrains.Silo.Ingest;

/// <summary>What happened to a batch: counts, and each rejected reading with its field and reason.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<RejectedReading> Rejected)
{
    /// <summary>Implausible channels of accepted readings, by index, field and reason: kept without them.</summary>
    public IReadOnlyList<RejectedReading> InvalidChannels { get; init; } = [];
}

/// <summary>
/// Takes parsed readings in: appends them to the durable log (so an acknowledged reading is never lost). In the
/// embedded default the log hands each new one, in commit order, to <see cref="ModuleDispatcher"/> before it answers;
/// in a cluster <see cref="AppliedDelivery"/> hands the batch over and the answer waits until the modules have it.
/// </summary>
public sealed partial class ReadingIngestor(IReadingLog log, SiloMetrics metrics, TimeProvider clock, ILogger<ReadingIngestor> logger, AppliedDelivery? delivery = null)
{
    public async Task<IngestResult> IngestAsync(ParsedBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var readings = batch.Readings.Select(r => r.Reading).ToList();
        var started = clock.GetTimestamp();
        // Not cancelled by the client going away: once queued, the append completes either way.
        var sequences = await log.AppendAsync(readings, CancellationToken.None).WaitAsync(cancellationToken);
        metrics.LogCommitted(readings.Count, clock.GetElapsedTime(started));
        if (delivery is not null)
        {
            try
            {
                await delivery.DeliverAsync(readings, sequences, clock.GetUtcNow()).WaitAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogNotApplied(logger, exception, readings.Count);
                throw new ReadingsNotAppliedException(exception);
            }
        }

        var accepted = sequences.Count(s => s != 0);
        metrics.ReadingsIngested(accepted, readings.Count - accepted, batch.Rejected.Count);
        return new IngestResult(accepted, readings.Count - accepted, batch.Rejected) { InvalidChannels = batch.InvalidChannels };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} readings is logged but its modules did not confirm it; answered 503 so the gateway sends it again")]
    private static partial void LogNotApplied(ILogger logger, Exception exception, int count);
}
