namespace HvsGrains.Grains.ReadingLog;

/// <summary>Settings of the SQLite readings log, bound from "Hvs:ReadingLog".</summary>
public sealed class ReadingLogOptions
{
    public const string SectionName = "Hvs:ReadingLog";

    /// <summary>Path of the log's database file.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "readings.db");

    /// <summary>Most readings committed in one transaction (one fsync) by the group commit.</summary>
    public int MaxRowsPerCommit { get; set; } = 20_000;

    /// <summary>
    /// Readings waiting for the (module, time) index before the writer indexes a slice between commits.
    /// More means fewer, larger slices (each index page written once per slice) and more kept in memory.
    /// </summary>
    public int IndexBacklog { get; set; } = 200_000;

    /// <summary>Readings indexed per slice (whole modules, in one transaction).</summary>
    public int IndexSliceReadings { get; set; } = 50_000;

    /// <summary>Longest time readings wait for the index under a steady feed that never leaves the log idle.</summary>
    public TimeSpan IndexAtLeastEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the log must be idle before it indexes what waits without a backlog.</summary>
    public TimeSpan IdleIndexDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Pause between background checkpoints that copy the WAL file into the database.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
