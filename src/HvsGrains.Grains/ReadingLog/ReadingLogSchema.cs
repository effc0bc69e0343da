using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>The readings table: its DDL, the insert and the row mapping.</summary>
internal static class ReadingLogSchema
{
    public const string Columns = "seq, module_id, rack_id, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent, avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm";

    private static readonly string[] SensorParameters = ["$v", "$i", "$soc", "$avg", "$max", "$amb", "$co", "$h2", "$voc"];

    public static void Create(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS readings (
                seq            INTEGER PRIMARY KEY,
                module_id      TEXT    NOT NULL,
                rack_id        TEXT    NOT NULL,
                ts_utc         INTEGER NOT NULL,
                ts_offset_min  INTEGER NOT NULL,
                voltage_v      REAL, current_a REAL, soc_percent REAL,
                avg_surface_c  REAL, max_surface_c REAL, ambient_c REAL,
                co_ppm         REAL, h2_ppm REAL, voc_ppm REAL
            );
            -- One reading per module and instant: a repeat is a duplicate, and history reads by this index.
            CREATE UNIQUE INDEX IF NOT EXISTS readings_module_time ON readings (module_id, ts_utc);
            """;
        command.ExecuteNonQuery();
    }

    public static SqliteCommand PrepareInsert(SqliteConnection connection)
    {
        var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO readings (module_id, rack_id, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent,
                                  avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
            VALUES ($module, $rack, $ts, $offset, $v, $i, $soc, $avg, $max, $amb, $co, $h2, $voc)
            ON CONFLICT DO NOTHING
            RETURNING seq
            """;
        foreach (var name in new[] { "$module", "$rack", "$ts", "$offset" }.Concat(SensorParameters))
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        insert.Prepare();
        return insert;
    }

    public static long[] InsertAll(SqliteCommand insert, IReadOnlyList<SensorReading> readings)
    {
        var sequences = new long[readings.Count];
        var parameters = insert.Parameters;
        for (var r = 0; r < readings.Count; r++)
        {
            var reading = readings[r];
            parameters[0].Value = reading.ModuleId;
            parameters[1].Value = reading.RackId;
            parameters[2].Value = reading.Timestamp.UtcTicks;
            parameters[3].Value = (long)reading.Timestamp.Offset.TotalMinutes;
            for (var c = 0; c < SensorChannels.Count; c++)
            {
                parameters[4 + c].Value = (object?)reading.Get((SensorChannel)c) ?? DBNull.Value;
            }

            sequences[r] = insert.ExecuteScalar() is long sequence ? sequence : 0;
        }

        return sequences;
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
}
