using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>The readings log's tables: DDL, the upgrade from the first layout, and the row mapping.</summary>
internal static class ReadingLogSchema
{
    /// <summary>Layout 2: module and rack names in tables of their own, readings keyed by integers.</summary>
    private const int Version = 2;

    /// <summary>The columns <see cref="ReadRow"/> expects, for a query over <see cref="From"/>.</summary>
    public const string Columns = "r.seq, m.module_id, k.rack_id, r.ts_utc, r.ts_offset_min, r.voltage_v, r.current_a, r.soc_percent, r.avg_surface_c, r.max_surface_c, r.ambient_c, r.co_ppm, r.h2_ppm, r.voc_ppm";

    public const string From = "module_readings r JOIN modules m ON m.id = r.module JOIN racks k ON k.id = r.rack";

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
            -- One reading per module and instant: a repeat is a duplicate, and history reads by this index.
            -- Integer keys keep the index small; text module ids made every insert three times dearer.
            CREATE UNIQUE INDEX IF NOT EXISTS module_readings_module_time ON module_readings (module, ts_utc);
            """);
        if (Scalar(transaction, "PRAGMA user_version") < Version)
        {
            UpgradeFromFirstLayout(transaction);
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
