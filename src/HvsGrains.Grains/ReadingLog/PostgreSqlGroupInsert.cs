using HvsGrains.Grains.Readings;
using Npgsql;
using NpgsqlTypes;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// One group commit's readings as a single INSERT … SELECT FROM unnest(one array per column) … ON CONFLICT DO NOTHING
/// RETURNING, prepared once per connection. Chosen over binary COPY into a staging table: one statement and one round
/// trip instead of COPY plus INSERT, the columns still travel in binary, no per-connection temporary table to create
/// again whenever the writer reconnects, and the database answers which rows were new in the same step. Rows go in
/// sorted by (module, time): every silo then takes the unique index's locks in the same order, so two silos appending
/// overlapping batches wait for each other instead of deadlocking.
/// </summary>
internal sealed class PostgreSqlGroupInsert : IDisposable
{
    private const string Sql = """
        INSERT INTO hvs_readings (module_id, rack_id, ts_ticks, ts_offset_min, voltage_v, current_a, soc_percent,
                                  avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::smallint[], $5::float8[], $6::float8[], $7::float8[],
                             $8::float8[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[])
            AS r (module_id, rack_id, ts_ticks, ts_offset_min, voltage_v, current_a, soc_percent,
                  avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
        ORDER BY module_id, ts_ticks
        ON CONFLICT (module_id, ts_ticks) DO NOTHING
        RETURNING seq, module_id, ts_ticks
        """;

    private readonly NpgsqlCommand _command;
    private readonly NpgsqlParameter<string[]> _modules = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<string[]> _racks = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
    private readonly NpgsqlParameter<long[]> _ticks = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };
    private readonly NpgsqlParameter<short[]> _offsets = new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint };
    private readonly NpgsqlParameter<double?[]>[] _channels = [.. Enumerable.Range(0, SensorChannels.Count)
        .Select(_ => new NpgsqlParameter<double?[]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double })];

    public PostgreSqlGroupInsert(NpgsqlConnection connection, TimeSpan timeout)
    {
        _command = new NpgsqlCommand(Sql, connection) { CommandTimeout = (int)Math.Ceiling(timeout.TotalSeconds) };
        _command.Parameters.Add(_modules);
        _command.Parameters.Add(_racks);
        _command.Parameters.Add(_ticks);
        _command.Parameters.Add(_offsets);
        foreach (var channel in _channels)
        {
            _command.Parameters.Add(channel);
        }

        _command.Prepare();
    }

    /// <summary>
    /// Inserts the appends of one group inside the connection's open transaction; returns each reading's sequence,
    /// 0 for a duplicate (of a logged reading, or of one earlier in the group: the earlier one is kept).
    /// </summary>
    public List<long[]> Insert(IReadOnlyList<IReadOnlyList<SensorReading>> appends)
    {
        var sequences = appends.Select(a => new long[a.Count]).ToList();
        var firsts = new Dictionary<(string Module, long Ticks), (int Append, int Index)>();
        for (var a = 0; a < appends.Count; a++)
        {
            for (var i = 0; i < appends[a].Count; i++)
            {
                var reading = appends[a][i];
                firsts.TryAdd((reading.ModuleId, reading.Timestamp.UtcTicks), (a, i));
            }
        }

        if (firsts.Count == 0)
        {
            return sequences;
        }

        Bind([.. firsts.Values.Select(p => appends[p.Append][p.Index])]);
        using var rows = _command.ExecuteReader();
        while (rows.Read())
        {
            var (append, index) = firsts[(rows.GetString(1), rows.GetInt64(2))];
            sequences[append][index] = rows.GetInt64(0);
        }

        return sequences;
    }

    public void Dispose() => _command.Dispose();

    private void Bind(SensorReading[] readings)
    {
        _modules.TypedValue = [.. readings.Select(r => r.ModuleId)];
        _racks.TypedValue = [.. readings.Select(r => r.RackId)];
        _ticks.TypedValue = [.. readings.Select(r => r.Timestamp.UtcTicks)];
        _offsets.TypedValue = [.. readings.Select(r => (short)r.Timestamp.Offset.TotalMinutes)];
        for (var c = 0; c < _channels.Length; c++)
        {
            var channel = (SensorChannel)c;
            _channels[c].TypedValue = [.. readings.Select(r => r.Get(channel))];
        }
    }
}
