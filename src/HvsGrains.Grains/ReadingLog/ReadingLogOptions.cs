namespace HvsGrains.Grains.ReadingLog;

/// <summary>Settings of the SQLite readings log, bound from "Hvs:ReadingLog".</summary>
public sealed class ReadingLogOptions
{
    public const string SectionName = "Hvs:ReadingLog";

    /// <summary>Path of the log's database file.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "readings.db");

    /// <summary>Most readings committed in one transaction (one fsync) by the group commit.</summary>
    public int MaxRowsPerCommit { get; set; } = 20_000;
}
