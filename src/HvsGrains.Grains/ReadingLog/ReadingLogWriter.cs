using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// The log's single writing connection. Hand-written on SQLitePCL's raw API because
/// Microsoft.Data.Sqlite looks every parameter up by name on each execution, which made a row
/// cost ~60 µs against ~3 µs here; reads stay on Microsoft.Data.Sqlite.
/// </summary>
internal sealed class ReadingLogWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly sqlite3_stmt _insertReading;
    private readonly NameKeys _modules;
    private readonly NameKeys _racks;

    public ReadingLogWriter(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _db = _connection.Handle!;
        // FULL: an acknowledged reading must survive power loss, not only a process crash.
        // A large page cache keeps the (module, time) index's hot pages in memory, and rarer
        // checkpoints (every ~40 MB of WAL) spare the writer most of their extra fsyncs.
        Check(raw.sqlite3_exec(_db, "PRAGMA synchronous = FULL; PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 10000;"));
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _insertReading = Prepare("""
            INSERT INTO module_readings (module, rack, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent,
                                         avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT DO NOTHING
            """);
        _modules = new NameKeys(this, "modules", "module_id");
        _racks = new NameKeys(this, "racks", "rack_id");
    }

    public void Begin() => Run(_begin);

    public void Commit()
    {
        Run(_commit);
        _modules.Keep();
        _racks.Keep();
    }

    /// <summary>Undoes a failed group. Keys given out in it are forgotten, since their rows are gone too.</summary>
    public void Rollback()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            Run(_rollback);
        }

        _modules.Forget();
        _racks.Forget();
    }

    /// <summary>Inserts inside the open transaction; returns each reading's sequence, 0 for a duplicate.</summary>
    public long[] Insert(IReadOnlyList<SensorReading> readings)
    {
        var sequences = new long[readings.Count];
        var statement = _insertReading;
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            raw.sqlite3_bind_int64(statement, 1, _modules.KeyOf(reading.ModuleId));
            raw.sqlite3_bind_int64(statement, 2, _racks.KeyOf(reading.RackId));
            raw.sqlite3_bind_int64(statement, 3, reading.Timestamp.UtcTicks);
            raw.sqlite3_bind_int64(statement, 4, (long)reading.Timestamp.Offset.TotalMinutes);
            for (var c = 0; c < SensorChannels.Count; c++)
            {
                var value = reading.Get((SensorChannel)c);
                Check(value is { } v ? raw.sqlite3_bind_double(statement, 5 + c, v) : raw.sqlite3_bind_null(statement, 5 + c));
            }

            Run(statement);
            // ON CONFLICT DO NOTHING changed no row: the same module and instant is already logged.
            sequences[i] = raw.sqlite3_changes(_db) == 1 ? raw.sqlite3_last_insert_rowid(_db) : 0;
        }

        return sequences;
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _rollback, _insertReading, _modules.Insert, _racks.Insert, _modules.Select, _racks.Select })
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private void Run(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    /// <summary>Integer keys of module or rack names, cached: a site has thousands, each looked up per reading.</summary>
    private sealed class NameKeys(ReadingLogWriter writer, string table, string column)
    {
        private readonly Dictionary<string, long> _keys = new(StringComparer.Ordinal);
        private readonly List<string> _addedInGroup = [];

        public sqlite3_stmt Insert { get; } = writer.Prepare($"INSERT INTO {table} ({column}) VALUES (?1) ON CONFLICT DO NOTHING");

        public sqlite3_stmt Select { get; } = writer.Prepare($"SELECT id FROM {table} WHERE {column} = ?1");

        public long KeyOf(string name)
        {
            if (_keys.TryGetValue(name, out var key))
            {
                return key;
            }

            raw.sqlite3_bind_text(Insert, 1, name);
            writer.Run(Insert);
            raw.sqlite3_bind_text(Select, 1, name);
            var rc = raw.sqlite3_step(Select);
            key = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(Select, 0) : 0;
            raw.sqlite3_reset(Select);
            if (rc != raw.SQLITE_ROW)
            {
                SqliteException.ThrowExceptionForRC(rc, writer._db);
            }

            _keys[name] = key;
            _addedInGroup.Add(name);
            return key;
        }

        /// <summary>Called after a commit: the keys added since are durable now.</summary>
        public void Keep() => _addedInGroup.Clear();

        public void Forget()
        {
            foreach (var name in _addedInGroup)
            {
                _keys.Remove(name);
            }

            _addedInGroup.Clear();
        }
    }
}
