using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// A module's readings, from the (module, time) index plus the readings still waiting for it: a query
/// sees every reading committed before it began, whichever of the two holds it at the moment.
/// </summary>
internal sealed class ReadingLogQueries(Func<SqliteConnection> open, PendingIndex pending)
{
    private const string Indexed = $"""
        SELECT {ReadingLogSchema.Columns}
        FROM module_reading_index i JOIN module_readings r ON r.seq = i.seq {ReadingLogSchema.Names}
        WHERE i.module = $module
        """;

    private const string Waiting = $"""
        SELECT {ReadingLogSchema.Columns}
        FROM module_readings r {ReadingLogSchema.Names}
        WHERE r.seq IN (SELECT value FROM json_each($waiting))
        """;

    public async Task<IReadOnlyList<LoggedReading>> ByTimeAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(
            moduleId,
            Indexed + " AND i.ts_utc >= $from AND i.ts_utc < $to ORDER BY i.ts_utc LIMIT $limit",
            Waiting + " AND r.ts_utc >= $from AND r.ts_utc < $to",
            command =>
            {
                command.Parameters.AddWithValue("$from", from.UtcTicks);
                command.Parameters.AddWithValue("$to", to.UtcTicks);
                command.Parameters.AddWithValue("$limit", limit);
            },
            cancellationToken);
        return [.. rows.OrderBy(r => r.Reading.Timestamp.UtcTicks).Take(limit)];
    }

    public async Task<IReadOnlyList<LoggedReading>> AfterSequenceAsync(string moduleId, long afterSequence, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(moduleId, Indexed + " AND i.seq > $after", Waiting + " AND r.seq > $after",
            command => command.Parameters.AddWithValue("$after", afterSequence), cancellationToken);
        return [.. rows.OrderBy(r => r.Sequence)];
    }

    private async Task<List<LoggedReading>> ReadAsync(string moduleId, string indexedSql, string waitingSql, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = open();
        if (await ModuleKeyAsync(connection, moduleId, cancellationToken) is not { } module)
        {
            return [];
        }

        // What waits is read first: anything indexed meanwhile is then found in the index (and counted once).
        var waiting = pending.SequencesOf(module);
        var rows = new Dictionary<long, LoggedReading>();
        await ReadIntoAsync(connection, indexedSql, module, null, bind, rows, cancellationToken);
        if (waiting.Length > 0)
        {
            await ReadIntoAsync(connection, waitingSql, module, JsonSerializer.Serialize(waiting), bind, rows, cancellationToken);
        }

        return [.. rows.Values];
    }

    private static async Task ReadIntoAsync(
        SqliteConnection connection, string sql, long module, string? waiting, Action<SqliteCommand> bind, Dictionary<long, LoggedReading> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$module", module);
        if (waiting is not null)
        {
            command.Parameters.AddWithValue("$waiting", waiting);
        }

        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = ReadingLogSchema.ReadRow(reader);
            rows.TryAdd(row.Sequence, row);
        }
    }

    private static async Task<long?> ModuleKeyAsync(SqliteConnection connection, string moduleId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM modules WHERE module_id = $module";
        command.Parameters.AddWithValue("$module", moduleId);
        return await command.ExecuteScalarAsync(cancellationToken) is long key ? key : null;
    }
}
