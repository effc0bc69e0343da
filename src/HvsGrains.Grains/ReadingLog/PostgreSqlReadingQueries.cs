using HvsGrains.Grains.Readings;
using Npgsql;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>A module's readings from the shared log: by time on the (module, time) key, in log order on the (module, seq) index.</summary>
internal sealed class PostgreSqlReadingQueries(NpgsqlDataSource database)
{
    private const string Columns = "seq, module_id, rack_id, ts_ticks, ts_offset_min, voltage_v, current_a, soc_percent, avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm";

    public Task<List<LoggedReading>> ByTimeAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        ReadAsync(
            $"SELECT {Columns} FROM hvs_readings WHERE module_id = $1 AND ts_ticks >= $2 AND ts_ticks < $3 ORDER BY ts_ticks LIMIT $4",
            [moduleId, from.UtcTicks, to.UtcTicks, limit],
            cancellationToken);

    public Task<List<LoggedReading>> AfterSequenceAsync(string moduleId, long afterSequence, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {Columns} FROM hvs_readings WHERE module_id = $1 AND seq > $2 ORDER BY seq", [moduleId, afterSequence], cancellationToken);

    private async Task<List<LoggedReading>> ReadAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadOnceAsync(sql, parameters, cancellationToken);
        }
        catch (Exception exception) when (PostgreSqlConnectionLoss.Is(exception))
        {
            // After a database restart the pool's idle connections are all dead; a read is safe to run again on a new one.
            PostgreSqlConnectionLoss.ForgetIdleConnections(database);
            try
            {
                return await ReadOnceAsync(sql, parameters, cancellationToken);
            }
            catch (Exception again) when (PostgreSqlConnectionLoss.Is(again))
            {
                throw new ReadingLogUnavailableException("The readings log's database cannot be reached; the readings could not be read.", again);
            }
        }
    }

    private async Task<List<LoggedReading>> ReadOnceAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        var readings = new List<LoggedReading>();
        while (await rows.ReadAsync(cancellationToken))
        {
            readings.Add(ReadRow(rows));
        }

        return readings;
    }

    private static LoggedReading ReadRow(NpgsqlDataReader row)
    {
        var timestamp = new DateTimeOffset(row.GetInt64(3), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(row.GetInt16(4)));
        double? Value(int ordinal) => row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);
        var reading = new SensorReading(
            row.GetString(1), row.GetString(2), timestamp,
            Value(5), Value(6), Value(7), Value(8), Value(9), Value(10), Value(11), Value(12), Value(13));
        return new LoggedReading(row.GetInt64(0), reading);
    }
}
