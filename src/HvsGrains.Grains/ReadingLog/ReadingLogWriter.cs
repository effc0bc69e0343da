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
    private readonly sqlite3_stmt _insertIndex;
    private readonly sqlite3_stmt _findIndexed;
    private readonly sqlite3_stmt _newestIndexed;
    private readonly sqlite3_stmt _saveUnindexedFrom;
    private readonly NameKeys _modules;
    private readonly NameKeys _racks;
    private readonly Dictionary<long, long> _newestIndexedTicks = [];
    private readonly HashSet<(long Module, long Ticks)> _inGroup = [];
    private readonly List<(long Module, long Ticks, long Sequence)> _groupEntries = [];
    private long _sliceCursor;

    public ReadingLogWriter(string connectionString, PendingIndex pending)
    {
        Pending = pending;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _db = _connection.Handle!;
        // FULL: an acknowledged reading must survive power loss, not only a process crash. A large page
        // cache keeps the index's hot pages in memory. The checkpointer copies the WAL in the background;
        // the writer's own checkpoint then finds little left and restarts the WAL file, bounding it.
        // The busy timeout covers the moments a checkpoint holds a lock the writer needs.
        Check(raw.sqlite3_exec(_db, "PRAGMA synchronous = FULL; PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 10000; PRAGMA busy_timeout = 30000;"));
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _insertReading = Prepare("""
            INSERT INTO module_readings (module, rack, ts_utc, ts_offset_min, voltage_v, current_a, soc_percent,
                                         avg_surface_c, max_surface_c, ambient_c, co_ppm, h2_ppm, voc_ppm)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            """);
        _insertIndex = Prepare("INSERT INTO module_reading_index (module, ts_utc, seq) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
        _findIndexed = Prepare("SELECT 1 FROM module_reading_index WHERE module = ?1 AND ts_utc = ?2");
        _newestIndexed = Prepare("SELECT max(ts_utc) FROM module_reading_index WHERE module = ?1");
        _saveUnindexedFrom = Prepare($"INSERT INTO reading_log_meta (key, value) VALUES ('{ReadingLogSchema.UnindexedFrom}', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        _modules = new NameKeys(this, "modules", "module_id");
        _racks = new NameKeys(this, "racks", "rack_id");
        RecoverPending();
    }

    public PendingIndex Pending { get; }

    public void Begin()
    {
        Run(_begin);
        _inGroup.Clear();
        _groupEntries.Clear();
    }

    /// <summary>Commits the group; only then do its readings count as logged (and as waiting for the index).</summary>
    public void Commit()
    {
        Run(_commit);
        _modules.Keep();
        _racks.Keep();
        foreach (var (module, ticks, sequence) in _groupEntries)
        {
            Pending.Add(module, ticks, sequence);
        }
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
            var module = _modules.KeyOf(reading.ModuleId);
            var ticks = reading.Timestamp.UtcTicks;
            if (IsLogged(module, ticks) || !_inGroup.Add((module, ticks)))
            {
                continue; // the same module and instant is already logged: a duplicate
            }

            raw.sqlite3_bind_int64(statement, 1, module);
            raw.sqlite3_bind_int64(statement, 2, _racks.KeyOf(reading.RackId));
            raw.sqlite3_bind_int64(statement, 3, ticks);
            raw.sqlite3_bind_int64(statement, 4, (long)reading.Timestamp.Offset.TotalMinutes);
            for (var c = 0; c < SensorChannels.Count; c++)
            {
                var value = reading.Get((SensorChannel)c);
                Check(value is { } v ? raw.sqlite3_bind_double(statement, 5 + c, v) : raw.sqlite3_bind_null(statement, 5 + c));
            }

            Run(statement);
            sequences[i] = raw.sqlite3_last_insert_rowid(_db);
            _groupEntries.Add((module, ticks, sequences[i]));
        }

        return sequences;
    }

    /// <summary>
    /// Moves the next slice of waiting entries (whole modules, about <paramref name="entries"/> rows) into the
    /// index in one transaction. Sorted by module and time, each index page is written once per slice.
    /// Returns the number of entries indexed.
    /// </summary>
    public int IndexSlice(int entries)
    {
        var slice = Pending.TakeSlice(_sliceCursor, entries);
        if (slice.Count == 0)
        {
            _sliceCursor = 0; // past the last module: start over from the first
            slice = Pending.TakeSlice(0, entries);
            if (slice.Count == 0)
            {
                return 0;
            }
        }

        Run(_begin);
        try
        {
            var count = 0;
            foreach (var (module, moduleEntries) in slice)
            {
                foreach (var (ticks, sequence) in moduleEntries)
                {
                    raw.sqlite3_bind_int64(_insertIndex, 1, module);
                    raw.sqlite3_bind_int64(_insertIndex, 2, ticks);
                    raw.sqlite3_bind_int64(_insertIndex, 3, sequence);
                    Run(_insertIndex);
                }

                count += moduleEntries.Length;
            }

            // A restart re-reads the log from the oldest entry still waiting after this slice.
            var oldestLeft = Pending.OldestSequenceExcept(slice);
            raw.sqlite3_bind_int64(_saveUnindexedFrom, 1, oldestLeft ?? (slice.Max(s => s.Entries.Max(e => e.Sequence)) + 1));
            Run(_saveUnindexedFrom);
            Run(_commit);
            foreach (var (module, moduleEntries) in slice)
            {
                var newest = moduleEntries[^1].Ticks;
                _newestIndexedTicks[module] = _newestIndexedTicks.TryGetValue(module, out var known) ? Math.Max(known, newest) : newest;
            }

            Pending.Indexed(slice);
            _sliceCursor = slice[^1].Module + 1;
            return count;
        }
        catch
        {
            Rollback();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var statement in new[] { _begin, _commit, _rollback, _insertReading, _insertIndex, _findIndexed, _newestIndexed, _saveUnindexedFrom, _modules.Insert, _racks.Insert, _modules.Select, _racks.Select })
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    /// <summary>Logged already: waiting for the index, or in it (looked up only for readings not newer than the indexed ones).</summary>
    private bool IsLogged(long module, long ticks)
    {
        if (Pending.Contains(module, ticks))
        {
            return true;
        }

        if (!_newestIndexedTicks.TryGetValue(module, out var newest))
        {
            raw.sqlite3_bind_int64(_newestIndexed, 1, module);
            newest = raw.sqlite3_step(_newestIndexed) == raw.SQLITE_ROW && raw.sqlite3_column_type(_newestIndexed, 0) != raw.SQLITE_NULL
                ? raw.sqlite3_column_int64(_newestIndexed, 0)
                : long.MinValue;
            raw.sqlite3_reset(_newestIndexed);
            _newestIndexedTicks[module] = newest;
        }

        if (ticks > newest)
        {
            return false; // the common case: newer than anything indexed for this module
        }

        raw.sqlite3_bind_int64(_findIndexed, 1, module);
        raw.sqlite3_bind_int64(_findIndexed, 2, ticks);
        var found = raw.sqlite3_step(_findIndexed) == raw.SQLITE_ROW;
        raw.sqlite3_reset(_findIndexed);
        return found;
    }

    /// <summary>After a restart, what the log holds beyond the index waits for it again.</summary>
    private void RecoverPending()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT seq, module, ts_utc FROM module_readings
            WHERE seq >= coalesce((SELECT value FROM reading_log_meta WHERE key = '{ReadingLogSchema.UnindexedFrom}'), 0)
            ORDER BY seq
            """;
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            // Some may be indexed already (a slice committed after the mark was read); indexing them again is a no-op.
            Pending.Add(rows.GetInt64(1), rows.GetInt64(2), rows.GetInt64(0));
        }
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
