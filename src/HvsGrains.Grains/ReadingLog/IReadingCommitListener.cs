using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// Told of every append the log commits, in commit order, before the append's caller is answered, so
/// whoever hands readings on (to their module grains) can keep that order. Called on the log's writer
/// thread, which every commit waits for: queue the work and return; never block, never call out.
/// </summary>
public interface IReadingCommitListener
{
    /// <param name="readings">The readings of one append, as given to <see cref="IReadingLog.AppendAsync"/>.</param>
    /// <param name="sequences">Each reading's sequence number; 0 for a duplicate, which was not logged.</param>
    void Committed(IReadOnlyList<SensorReading> readings, long[] sequences);
}
