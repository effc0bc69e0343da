using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// The durable readings log: every accepted reading is here before it is acknowledged, so
/// module grains can rebuild their windows after a crash and history queries read from it.
/// </summary>
public interface IReadingLog
{
    /// <summary>
    /// Completes once the log has found again, after a start, every reading it holds (a crash can leave
    /// readings outside its index). Queries wait for it, so none answers from a partial view; readiness
    /// reports it. Faults when the log cannot be opened.
    /// </summary>
    Task Recovered { get; }

    /// <summary>
    /// Null while appends can be made durable; otherwise why not (the log's database cannot be reached, say).
    /// Readiness asks it after <see cref="Recovered"/>, so a silo that cannot log stops being sent readings, and
    /// is sent them again by itself once it can.
    /// </summary>
    Task<Exception?> CheckAvailableAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends durably (returns after the commit). Returns each reading's sequence number, or 0 for a
    /// duplicate (same module and timestamp as a reading already in the log or earlier in the batch).
    /// Throws <see cref="ReadingLogUnavailableException"/> when the readings could not be made durable.
    /// </summary>
    Task<long[]> AppendAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken);

    /// <summary>A module's readings with from ≤ timestamp &lt; to, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);

    /// <summary>A module's readings logged after <paramref name="afterSequence"/>, in log order (for replay).</summary>
    Task<IReadOnlyList<LoggedReading>> ReadModuleAfterAsync(string moduleId, long afterSequence, CancellationToken cancellationToken);
}
