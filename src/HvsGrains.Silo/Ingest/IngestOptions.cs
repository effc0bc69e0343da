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

    /// <summary>
    /// Ingest requests handled at once. Ingest is CPU-bound (4 senders saturate 2 cores, results/ingest.md); more
    /// in flight only lengthens the thread-pool queue that health checks and reads wait in, so beyond this (and
    /// <see cref="MaxQueuedRequests"/>) a request is answered 503 with Retry-After before its body is read.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 4;

    /// <summary>Ingest requests that wait (oldest first, body not yet read) for one of <see cref="MaxConcurrentRequests"/>; 0 sheds at once.</summary>
    public int MaxQueuedRequests { get; set; } = 4;

    /// <summary>Seconds a shed sender is told to wait (Retry-After) before it sends the batch again.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Throws when a limit is not positive (a misconfiguration, found at startup).</summary>
    public void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchReadings, 1, nameof(MaxBatchReadings));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1, nameof(MaxBodyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1, nameof(MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxQueuedRequests, nameof(MaxQueuedRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfterSeconds, 1, nameof(RetryAfterSeconds));
    }
}
