namespace HvsGrains.Silo.Ingest;

/// <summary>Limits of one ingest request, bound from section "Hvs:Ingest".</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Hvs:Ingest";

    /// <summary>
    /// Readings per batch. A batch is appended to the log in one group commit before it is
    /// acknowledged, so an unbounded batch would hold up every other gateway's acknowledgement.
    /// </summary>
    public int MaxBatchReadings { get; set; } = 10_000;

    /// <summary>
    /// Request body size. 10,000 JSON readings are about 3 MiB, so 8 MiB leaves room for verbose
    /// senders. The JSON reader checks it on the buffered body; for streamed CSV the endpoint
    /// must enforce it (Kestrel's MaxRequestBodySize).
    /// </summary>
    public long MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Throws when a limit is not positive (a misconfiguration, found at startup).</summary>
    public void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchReadings, 1, nameof(MaxBatchReadings));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1, nameof(MaxBodyBytes));
    }
}
