using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HvsGrains.Runtime.State;

/// <summary>
/// Grain state in one SQLite file (the embedded default). The version column is the etag:
/// every write is conditional on it, so a stale writer updates no row and gets a conflict.
/// </summary>
public sealed class SqliteGrainStorage(IOptions<SqliteGrainStorageOptions> options, TimeProvider timeProvider) : IGrainStorage, IDisposable
{
    // One writer at a time, waiting asynchronously: SQLite allows one writer anyway, and letting
    // thousands of grains contend for its lock makes them retry with blocking sleeps.
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Value.DatabasePath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            -- NORMAL in WAL mode never corrupts and may lose only the last commits on power loss;
            -- grain state is a snapshot, and the durable readings log replays what it missed.
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_type   TEXT    NOT NULL,
                grain_key    TEXT    NOT NULL,
                state_name   TEXT    NOT NULL,
                payload      BLOB    NULL,
                version      INTEGER NOT NULL,
                modified_utc TEXT    NOT NULL,
                PRIMARY KEY (grain_type, grain_key, state_name)
            ) WITHOUT ROWID;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload, version FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name";
        AddKey(command, stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var payload = reader.IsDBNull(0) ? null : (byte[])reader.GetValue(0);
        return new StoredGrainState(payload, reader.GetInt64(1).ToString(CultureInfo.InvariantCulture));
    }

    public Task<string> WriteAsync(string stateName, GrainId grainId, byte[] payload, string? expectedEtag, CancellationToken cancellationToken) =>
        WriteVersionAsync(stateName, grainId, payload, expectedEtag, cancellationToken);

    public Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken) =>
        WriteVersionAsync(stateName, grainId, null, expectedEtag, cancellationToken);

    public void Dispose() => _writeTurn.Dispose();

    private async Task<string> WriteVersionAsync(string stateName, GrainId grainId, byte[]? payload, string? expectedEtag, CancellationToken cancellationToken)
    {
        await _writeTurn.WaitAsync(cancellationToken);
        try
        {
            return await WriteVersionInTurnAsync(stateName, grainId, payload, expectedEtag, cancellationToken);
        }
        finally
        {
            _writeTurn.Release();
        }
    }

    private async Task<string> WriteVersionInTurnAsync(string stateName, GrainId grainId, byte[]? payload, string? expectedEtag, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken, forWriting: true);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedEtag is null
            ? """
              INSERT INTO grain_state (grain_type, grain_key, state_name, payload, version, modified_utc)
              VALUES ($type, $key, $name, $payload, 1, $now)
              ON CONFLICT DO NOTHING
              RETURNING version
              """
            : """
              UPDATE grain_state SET payload = $payload, version = version + 1, modified_utc = $now
              WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND version = $version
              RETURNING version
              """;
        AddKey(command, stateName, grainId);
        command.Parameters.AddWithValue("$payload", (object?)payload ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
        if (expectedEtag is not null)
        {
            command.Parameters.AddWithValue("$version", ParseEtag(expectedEtag));
        }

        var version = await command.ExecuteScalarAsync(cancellationToken);
        if (version is null)
        {
            var stored = await ReadAsync(stateName, grainId, cancellationToken);
            throw new InconsistentStateException(grainId, stateName, expectedEtag, stored?.Etag);
        }

        return Convert.ToInt64(version, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static long ParseEtag(string etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new ArgumentException($"'{etag}' is not an etag of this storage.", nameof(etag));

    private static void AddKey(SqliteCommand command, string stateName, GrainId grainId)
    {
        command.Parameters.AddWithValue("$type", grainId.Type);
        command.Parameters.AddWithValue("$key", grainId.Key);
        command.Parameters.AddWithValue("$name", stateName);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken, bool forWriting = false)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        if (forWriting)
        {
            // Per connection (see InitializeAsync); it only matters to commits, so reads skip it.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
        }

        return connection;
    }
}
