using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>The readings log's tables: DDL, the upgrade from the first layout, and the row mapping.</summary>
internal static class ReadingLogSchema
{
    /// <summary>
    /// Layout 3: module and rack names in tables of their own; readings appended in sequence order, and
    /// a (module, time) index filled in module-sorted slices (see <see cref="PendingIndex"/>).
    /// </summary>
    private const int Version = 3;

    /// <summary>The columns <see cref="ReadRow"/> expects, for a query over readings aliased <c>r</c> joined with <see cref="Names"/>.</summary>
    public const string Columns = "r.seq, m.module_id, k.rack_id, r.ts_utc, r.ts_offset_min, r.voltage_v, r.current_a, r.soc_percent, r.avg_surface_c, r.max_surface_c, r.ambient_c, r.co_ppm, r.h2_ppm, r.voc_ppm";

    /// <summary>Joins that give the names for the rows of readings aliased <c>r</c>.</summary>
    public const string Names = "JOIN modules m ON m.id = r.module JOIN racks k ON k.id = r.rack";

    /// <summary>The meta key of the oldest sequence whose index entry may be missing (re-read at start).</summary>
    public const string UnindexedFrom = "unindexed_from";

    public static void Create(SqliteConnection connection)
    {
        Execute(connection, "PRAGMA journal_mode = WAL;");
        using var transaction = connection.BeginTransaction();
        Execute(transaction, """
            CREATE TABLE IF NOT EXISTS modules (id INTEGER PRIMARY KEY, module_id TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS racks (id INTEGER PRIMARY KEY, rack_id TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS module_readings (
                seq            INTEGER PRIMARY KEY,
                module         INTEGER NOT NULL REFERENCES modules (id),
                rack           INTEGER NOT NULL REFERENCES racks (id),
                ts_utc         INTEGER NOT NULL,
                ts_offset_min  INTEGER NOT NULL,
                voltage_v      REAL, current_a REAL, soc_percent REAL,
                avg_surface_c  REAL, max_surface_c REAL, ambient_c REAL,
                co_ppm         REAL, h2_ppm REAL, voc_ppm REAL
            );
            -- One reading per module and instant; history reads by it. Filled in slices, behind the log.
            CREATE TABLE IF NOT EXISTS module_reading_index (
                module  INTEGER NOT NULL,
                ts_utc  INTEGER NOT NULL,
                seq     INTEGER NOT NULL,
                PRIMARY KEY (module, ts_utc)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS reading_log_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            """);
        var version = Scalar(transaction, "PRAGMA user_version");
        if (version < 2)
        {
            UpgradeFromFirstLayout(transaction);
        }

        if (version < Version)
        {
            UpgradeFromSecondLayout(transaction);
            Execute(transaction, $"PRAGMA user_version = {Version};");
        }

        transaction.Commit();
    }

    /// <summary>Moves readings of the first layout (text ids in every row) into the current one, keeping their sequence numbers.</summary>
    private static void UpgradeFromFirstLayout(SqliteTransaction transaction)
    {
        if (Scalar(transaction, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'readings'") == 0)
        {
            return;
        }

        Execute(transaction, """
            INSERT OR IGNORE INTO modules (module_id) SELECT DISTINCT module_id FROM readings;
            INSERT OR IGNORE INTO racks (rack_id) SELECT DISTINCT rack_id FROM readings;
            INSERT INTO module_readings (seq, module, rack, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent,
                                         avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
                SELECT o.seq, m.id, k.id, o.ts_utc, o.ts_offset_min, o.voltage_v, o.current_a, o.soc_percent,
                       o.avg_surface_c, o.max_surface_c, o.ambient_c, o.co_ppm, o.h2_ppm, o.voc_ppm
                FROM readings o JOIN modules m ON m.module_id = o.module_id JOIN racks k ON k.rack_id = o.rack_id
                ORDER BY o.seq;
            DROP TABLE readings;
            """);
    }

    /// <summary>Layout 2 indexed every row as it came; its index becomes the sliced one.</summary>
    private static void UpgradeFromSecondLayout(SqliteTransaction transaction) => Execute(transaction, """
        INSERT OR IGNORE INTO module_reading_index (module, ts_utc, seq) SELECT module, ts_utc, seq FROM module_readings ORDER BY module, ts_utc;
        DROP INDEX IF EXISTS module_readings_module_time;
        """);

    public static LoggedReading ReadRow(SqliteDataReader row)
    {
        var offset = TimeSpan.FromMinutes(row.GetInt64(4));
        var timestamp = new DateTimeOffset(row.GetInt64(3), TimeSpan.Zero).ToOffset(offset);
        double? Value(int ordinal) => row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);
        var reading = new SensorReading(
            row.GetString(1), row.GetString(2), timestamp,
            Value(5), Value(6), Value(7), Value(8), Value(9), Value(10), Value(11), Value(12), Value(13));
        return new LoggedReading(row.GetInt64(0), reading);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteTransaction transaction, string sql)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteTransaction transaction, string sql)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
