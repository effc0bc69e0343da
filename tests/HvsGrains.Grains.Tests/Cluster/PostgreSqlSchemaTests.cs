using HvsGrains.Grains.Cluster;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>The cluster schema on a real PostgreSQL: applied once, safe to apply again, refused when newer.</summary>
public sealed class PostgreSqlSchemaTests
{
    [Fact]
    public async Task Applies_every_migration_once_and_then_nothing()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await server.CreateDatabaseAsync("schema");
        var connection = server.ConnectionString("schema");

        var first = await PostgreSqlSchema.EnsureCreatedAsync(connection);
        var second = await PostgreSqlSchema.EnsureCreatedAsync(connection);

        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion), first);
        Assert.Empty(second);
        Assert.Equal(PostgreSqlSchema.CurrentVersion, await PostgreSqlSchema.ReadVersionAsync(connection));
    }

    [Fact]
    public async Task Silos_starting_together_apply_each_migration_once()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await server.CreateDatabaseAsync("race");
        var connection = server.ConnectionString("race");

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgreSqlSchema.EnsureCreatedAsync(connection)));

        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion), applied.SelectMany(a => a).Order());
        Assert.Equal(PostgreSqlSchema.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (await server.QueryAsync("SELECT count(*) FROM hvs_schema_version", "race")).Trim());
    }

    [Fact]
    public async Task Orleans_finds_every_stored_query_its_clustering_and_grain_storage_read()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await server.CreateDatabaseAsync("queries");
        await PostgreSqlSchema.EnsureCreatedAsync(server.ConnectionString("queries"));

        // The keys Microsoft.Orleans.Clustering.AdoNet (DbStoredQueries) and Persistence.AdoNet (AdoNetGrainStorage) look up.
        string[] expected =
        [
            "CleanupDefunctSiloEntriesKey", "ClearStorageKey", "DeleteMembershipTableEntriesKey", "DeleteStorageKey",
            "GatewaysQueryKey", "InsertMembershipKey", "InsertMembershipVersionKey", "MembershipReadAllKey",
            "MembershipReadRowKey", "ReadFromStorageKey", "UpdateIAmAlivetimeKey", "UpdateMembershipKey", "WriteToStorageKey",
        ];
        var stored = (await server.QueryAsync("SELECT QueryKey FROM OrleansQuery ORDER BY QueryKey COLLATE \"C\"", "queries"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected.Order(StringComparer.Ordinal), stored);
        Assert.Equal("2|orleans-membership\n3|grain-state", (await server.QueryAsync(
            "SELECT version, name FROM hvs_schema_version WHERE version IN (2, 3) ORDER BY version", "queries")).Trim());
    }

    [Fact]
    public async Task Refuses_a_database_written_by_a_newer_release()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await server.CreateDatabaseAsync("newer");
        var connection = server.ConnectionString("newer");
        await PostgreSqlSchema.EnsureCreatedAsync(connection);
        await server.QueryAsync($"INSERT INTO hvs_schema_version (version, name) VALUES ({PostgreSqlSchema.CurrentVersion + 1}, 'from-the-future')", "newer");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlSchema.EnsureCreatedAsync(connection));

        Assert.Contains("newer release", refused.Message, StringComparison.Ordinal);
    }
}
