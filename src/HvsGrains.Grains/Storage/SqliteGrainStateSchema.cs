using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HvsGrains.Grains.Storage;

/// <summary>
/// Creates and versions the grain state schema and the provider's stored queries in a SQLite file.
/// </summary>
public static class SqliteGrainStateSchema
{
    /// <summary>The schema version this code writes and understands.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Row key in HvsSchemaVersion, so other components may version their own tables in the same file.</summary>
    public const string Component = "grain-state";

    private const string ResourceName = "HvsGrains.Grains.Storage.Sql.sqlite-grain-state.sql";

    /// <summary>
    /// Connection string for one writer process. journal_mode=WAL is set by <see cref="EnsureCreatedAsync"/>
    /// and persists in the file; the busy wait comes from Default Timeout because Microsoft.Data.Sqlite
    /// retries SQLITE_BUSY until the command timeout instead of using PRAGMA busy_timeout.
    /// </summary>
    // synchronous stays at SQLite's FULL: in WAL that is one fsync per commit, so an acknowledged WriteStateAsync survives power loss.
    public static string ConnectionString(string databasePath) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(databasePath),
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// Creates the tables and upserts the stored queries; safe to run on every start.
    /// Throws <see cref="InvalidOperationException"/> when the file was written by a newer schema version.
    /// </summary>
    public static async Task EnsureCreatedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL lets readers run beside the single writer and makes each commit one append.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken);

        // IMMEDIATE takes the write lock up front, so the version check and the script see the same file.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var stored = await ReadVersionAsync(connection, transaction, cancellationToken);
        if (stored > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The grain state database '{dataSource}' has schema version {stored}, but this build of HvsGrains knows only up to version {CurrentVersion}. " +
                "It was written by a newer release; run that release or restore a backup instead of downgrading.");
        }

        // Later versions add migration steps here, keyed on 'stored'.
        foreach (var statement in ReadScript())
        {
            await ExecuteAsync(connection, transaction, statement, cancellationToken);
        }

        await ExecuteAsync(
            connection,
            transaction,
            "INSERT INTO HvsSchemaVersion (Component, Version, AppliedOn) VALUES ($component, $version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) " +
            "ON CONFLICT (Component) DO UPDATE SET Version = excluded.Version, AppliedOn = excluded.AppliedOn WHERE Version < excluded.Version;",
            cancellationToken,
            ("$component", Component),
            ("$version", CurrentVersion));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The stored schema version of this component, or 0 for a new file.</summary>
    public static async Task<int> ReadVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'HvsSchemaVersion';";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT Version FROM HvsSchemaVersion WHERE Component = $component;";
        command.Parameters.AddWithValue("$component", Component);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    internal static IReadOnlyList<string> ReadScript()
    {
        using var stream = typeof(SqliteGrainStateSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{ResourceName}' is missing from {typeof(SqliteGrainStateSchema).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // Statements end with ';;' because the stored query texts contain ';' themselves.
        return text.Split(";;", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.Split('\n').Any(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal) && line.Trim().Length > 0))
            .ToList();
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string sql,
        CancellationToken cancellationToken,
        params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
