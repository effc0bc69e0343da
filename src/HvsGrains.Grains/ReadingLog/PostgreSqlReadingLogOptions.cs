namespace HvsGrains.Grains.ReadingLog;

/// <summary>Settings of the readings log in PostgreSQL (cluster mode), bound from "Hvs:ReadingLog:PostgreSql".</summary>
public sealed class PostgreSqlReadingLogOptions
{
    public const string SectionName = "Hvs:ReadingLog:PostgreSql";

    /// <summary>The cluster database (set from "Hvs:Cluster:ConnectionString" by the silo).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Most readings committed in one transaction by the group commit.</summary>
    public int MaxRowsPerCommit { get; set; } = 20_000;

    /// <summary>
    /// Longest a group's insert or its commit may take; beyond it the append fails rather than wait on a database
    /// that does not answer. Whole seconds (Npgsql's command timeout).
    /// </summary>
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After the database failed, appends are refused at once for this long before the writer connects again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest readiness waits for its own connection to the database before it calls the log unavailable.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
