using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace HvsGrains.Grains.Cluster;

/// <summary>
/// The cluster's PostgreSQL schema: the project's own SQL in numbered migrations (Cluster/Sql/NNNN-name.sql, embedded),
/// applied in order, each once, each in its own transaction, under an advisory lock so silos starting together and
/// `hvs setup` do not race. The version is the highest migration applied; a database written by a newer release
/// is refused rather than used half-understood.
/// </summary>
public static partial class PostgreSqlSchema
{
    private const string ResourcePrefix = "HvsGrains.Grains.Cluster.Sql.";

    // Any constant shared by every HvsGrains process; pg_advisory_xact_lock serialises migrations cluster-wide.
    private const long MigrationLock = 0x4876_7347_7261_696E; // "HvsGrain"

    /// <summary>The migrations this build carries, in order.</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    /// <summary>The schema version this build writes and understands.</summary>
    public static int CurrentVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>Applies the migrations the database lacks and returns the versions applied now (empty when it was current).</summary>
    public static async Task<IReadOnlyList<int>> EnsureCreatedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var applied = new List<int>();
        foreach (var migration in Migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock.ToString(CultureInfo.InvariantCulture)})", cancellationToken);
            await ExecuteAsync(connection, transaction,
                "CREATE TABLE IF NOT EXISTS hvs_schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                cancellationToken);
            var stored = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (stored > CurrentVersion)
            {
                throw new InvalidOperationException(
                    $"The cluster database has schema version {stored}, but this build of HvsGrains knows only up to version {CurrentVersion}. " +
                    "It was written by a newer release; run that release instead of downgrading.");
            }

            if (stored >= migration.Version)
            {
                await transaction.CommitAsync(cancellationToken);
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using (var record = new NpgsqlCommand("INSERT INTO hvs_schema_version (version, name) VALUES ($1, $2)", connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration.Version);
        }

        return applied;
    }

    /// <summary>The version the database is at (0 when no HvsGrains schema is there).</summary>
    public static async Task<int> ReadVersionAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('hvs_schema_version') IS NOT NULL", connection);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? await ReadVersionAsync(connection, null, cancellationToken) : 0;
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM hvs_schema_version", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadMigrations()
    {
        var assembly = typeof(PostgreSqlSchema).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var match = MigrationName().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Embedded SQL '{resource}' is not named NNNN-name.sql.");
            }

            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Cluster SQL migrations must be numbered 1, 2, 3, … without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{4})-([a-z0-9-]+)\.sql$")]
    private static partial Regex MigrationName();

    /// <summary>One numbered step of the schema.</summary>
    public sealed record Migration(int Version, string Name, string Sql);
}
