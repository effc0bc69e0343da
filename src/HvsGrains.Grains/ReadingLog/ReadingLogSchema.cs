using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>The readings table: its DDL, the insert and the row mapping.</summary>
internal static class ReadingLogSchema
{
    public const string Columns = "seq, module_id, rack_id, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent, avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm";

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

    /// <summary>Rows per INSERT statement: one statement per row costs more than the row itself.</summary>
    public const int RowsPerStatement = 64;

    private const int ParametersPerRow = 4 + SensorChannels.Count;

    /// <summary>A prepared multi-row insert of <paramref name="rows"/> readings, returning what it inserted.</summary>
    public static SqliteCommand PrepareInsert(SqliteConnection connection, int rows)
    {
        var insert = connection.CreateCommand();
        var values = string.Join(",\n", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(0, ParametersPerRow).Select(c => $"$p{r}_{c}")) + ")"));
        insert.CommandText = $"""
            INSERT INTO readings (module_id, rack_id, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent,
                                  avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
            VALUES {values}
            ON CONFLICT DO NOTHING
            RETURNING module_id, ts_utc, seq
            """;
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < ParametersPerRow; c++)
            {
                insert.Parameters.Add(new SqliteParameter { ParameterName = $"$p{r}_{c}" });
            }
        }

        insert.Prepare();
        return insert;
    }

    /// <summary>Inserts readings with prepared statements from <paramref name="statementFor"/>; returns each one's sequence, 0 for a duplicate.</summary>
    public static long[] InsertAll(Func<int, SqliteCommand> statementFor, IReadOnlyList<SensorReading> readings)
    {
        var sequences = new long[readings.Count];
        var inserted = new Dictionary<(string Module, long Ticks), long>();
        for (var start = 0; start < readings.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, readings.Count - start);
            var insert = statementFor(count);
            var parameters = insert.Parameters;
            for (var r = 0; r < count; r++)
            {
                var reading = readings[start + r];
                var p = r * ParametersPerRow;
                parameters[p].Value = reading.ModuleId;
                parameters[p + 1].Value = reading.RackId;
                parameters[p + 2].Value = reading.Timestamp.UtcTicks;
                parameters[p + 3].Value = (long)reading.Timestamp.Offset.TotalMinutes;
                for (var c = 0; c < SensorChannels.Count; c++)
                {
                    parameters[p + 4 + c].Value = (object?)reading.Get((SensorChannel)c) ?? DBNull.Value;
                }
            }

            inserted.Clear();
            using (var returned = insert.ExecuteReader())
            {
                while (returned.Read())
                {
                    inserted[(returned.GetString(0), returned.GetInt64(1))] = returned.GetInt64(2);
                }
            }

            for (var r = 0; r < count; r++)
            {
                // The first of repeats within a statement was inserted; the others are duplicates.
                var reading = readings[start + r];
                if (inserted.Remove((reading.ModuleId, reading.Timestamp.UtcTicks), out var sequence))
                {
                    sequences[start + r] = sequence;
                }
            }
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
