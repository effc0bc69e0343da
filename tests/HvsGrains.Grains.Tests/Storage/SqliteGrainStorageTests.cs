using HvsGrains.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using Orleans.TestingHost;

namespace HvsGrains.Grains.Tests.Storage;

/// <summary>One temp folder for the class; each test uses its own database file in it.</summary>
public sealed class StorageTempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("hvs-storage-").FullName;

    public string NewDatabase() => System.IO.Path.Combine(Path, $"{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path, recursive: true);
    }
}

public sealed class SqliteGrainStorageTests(StorageTempFolder folder) : IClassFixture<StorageTempFolder>
{
    private static async Task<InProcessTestCluster> StartAsync(string databasePath, string serviceId, bool deleteOnClear = false)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddSqliteGrainStorage(databasePath);
            silo.Services.Configure<AdoNetGrainStorageOptions>(SqliteGrainStorageExtensions.SqliteProviderName, o => o.DeleteStateOnClear = deleteOnClear);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task<long> ScalarAsync(string databasePath, string sql)
    {
        await using var connection = new SqliteConnection(SqliteGrainStateSchema.ConnectionString(databasePath));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Written_state_survives_a_silo_restart()
    {
        var db = folder.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(db, serviceId))
        {
            await first.Client.GetGrain<IStorageProbeGrain>("m-1").SetAsync("warm");
            await first.Client.GetGrain<IStorageProbeGrain>("m-1").SetAsync("hot");
        }

        await using var second = await StartAsync(db, serviceId);
        var grain = second.Client.GetGrain<IStorageProbeGrain>("m-1");
        Assert.Equal("hot", await grain.GetAsync());
        Assert.True(await grain.RecordExistsAsync());
        Assert.Equal(2, await ScalarAsync(db, "SELECT Version FROM HvsGrainState"));
    }

    [Fact]
    public async Task Stale_writer_is_refused_with_InconsistentStateException()
    {
        var db = folder.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");

        // Two clusters that do not know each other give the same grain two activations on one file.
        await using var left = await StartAsync(db, serviceId);
        await using var right = await StartAsync(db, serviceId);
        var a = left.Client.GetGrain<IStorageProbeGrain>("m-2");
        var b = right.Client.GetGrain<IStorageProbeGrain>("m-2");

        // Both saw no row; the first insert wins, the second must not overwrite it.
        Assert.Null(await a.GetAsync());
        Assert.Null(await b.GetAsync());
        await b.SetAsync("from-b");
        await Assert.ThrowsAsync<InconsistentStateException>(() => a.SetAsync("from-a"));

        // Both hold version 1 (a was deactivated by the conflict and re-read); b moves on, a is stale.
        Assert.Equal("from-b", await a.GetAsync());
        await b.SetAsync("from-b-2");
        await Assert.ThrowsAsync<InconsistentStateException>(() => a.SetAsync("from-a-2"));

        Assert.Equal("from-b-2", await a.GetAsync());
        Assert.Equal(2, await ScalarAsync(db, "SELECT Version FROM HvsGrainState"));
    }

    [Fact]
    public async Task Clear_removes_the_state_but_keeps_the_version_moving()
    {
        var db = folder.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(db, serviceId))
        {
            var grain = first.Client.GetGrain<IStorageProbeGrain>("m-3");
            await grain.SetAsync("hot");
            await grain.ClearAsync();
            Assert.Null(await grain.GetAsync());
            Assert.False(await grain.RecordExistsAsync());
        }

        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM HvsGrainState WHERE Payload IS NULL AND Version = 2"));

        await using var second = await StartAsync(db, serviceId);
        var again = second.Client.GetGrain<IStorageProbeGrain>("m-3");
        Assert.Null(await again.GetAsync());
        Assert.False(await again.RecordExistsAsync());
        await again.SetAsync("warm");
        Assert.Equal("warm", await again.GetAsync());
        Assert.Equal(3, await ScalarAsync(db, "SELECT Version FROM HvsGrainState"));
    }

    [Fact]
    public async Task Clear_with_DeleteStateOnClear_removes_the_row()
    {
        var db = folder.NewDatabase();

        await using var cluster = await StartAsync(db, Guid.NewGuid().ToString("N"), deleteOnClear: true);
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>("m-5");
        await grain.SetAsync("hot");
        await grain.ClearAsync();
        Assert.Equal(0, await ScalarAsync(db, "SELECT count(*) FROM HvsGrainState"));

        // With the row gone the grain holds no etag, so its next write is an insert at version 1.
        await grain.SetAsync("warm");
        Assert.Equal("warm", await grain.GetAsync());
        Assert.Equal(1, await ScalarAsync(db, "SELECT Version FROM HvsGrainState"));
    }

    [Fact]
    public async Task Schema_creation_is_idempotent()
    {
        var db = folder.NewDatabase();
        var connectionString = SqliteGrainStateSchema.ConnectionString(db);

        await SqliteGrainStateSchema.EnsureCreatedAsync(connectionString);
        await SqliteGrainStateSchema.EnsureCreatedAsync(connectionString);

        Assert.Equal(SqliteGrainStateSchema.CurrentVersion, await SqliteGrainStateSchema.ReadVersionAsync(connectionString));
        Assert.Equal(4, await ScalarAsync(db, "SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM HvsSchemaVersion"));
        Assert.Equal(1, await ScalarAsync(db, "SELECT count(*) FROM pragma_journal_mode() WHERE journal_mode = 'wal'"));

        // The silo's own schema step runs a third time on start.
        await using var cluster = await StartAsync(db, Guid.NewGuid().ToString("N"));
        var grain = cluster.Client.GetGrain<IStorageProbeGrain>("m-4");
        await grain.SetAsync("ok");
        Assert.Equal("ok", await grain.GetAsync());
    }

    [Fact]
    public async Task Database_from_a_newer_schema_is_refused()
    {
        var db = folder.NewDatabase();
        var connectionString = SqliteGrainStateSchema.ConnectionString(db);
        await SqliteGrainStateSchema.EnsureCreatedAsync(connectionString);
        await ScalarAsync(db, "UPDATE HvsSchemaVersion SET Version = 99 RETURNING Version");

        var direct = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteGrainStateSchema.EnsureCreatedAsync(connectionString));
        Assert.Contains("schema version 99", direct.Message, StringComparison.Ordinal);
        Assert.Contains($"up to version {SqliteGrainStateSchema.CurrentVersion}", direct.Message, StringComparison.Ordinal);

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo.AddSqliteGrainStorage(db));
        var cluster = builder.Build();
        try
        {
            var startup = await Assert.ThrowsAnyAsync<Exception>(cluster.DeployAsync);
            Assert.Contains("schema version 99", startup.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await cluster.DisposeAsync();
        }

        // Refusing must not have rewritten the stored version.
        Assert.Equal(99, await SqliteGrainStateSchema.ReadVersionAsync(connectionString));
    }

    [Fact]
    public async Task Two_grain_types_with_the_same_key_are_kept_apart()
    {
        var db = folder.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(db, serviceId))
        {
            await first.Client.GetGrain<IStorageProbeGrain>("shared").SetAsync("probe");
            await first.Client.GetGrain<IOtherProbeGrain>("shared").SetAsync("other");
        }

        await using var second = await StartAsync(db, serviceId);
        Assert.Equal("probe", await second.Client.GetGrain<IStorageProbeGrain>("shared").GetAsync());
        Assert.Equal("other", await second.Client.GetGrain<IOtherProbeGrain>("shared").GetAsync());
        Assert.Equal(2, await ScalarAsync(db, "SELECT count(*) FROM HvsGrainState"));
    }

    [Fact]
    public async Task Digit_only_string_keys_that_parse_to_the_same_number_are_kept_apart()
    {
        var db = folder.NewDatabase();
        var serviceId = Guid.NewGuid().ToString("N");

        await using (var first = await StartAsync(db, serviceId))
        {
            await first.Client.GetGrain<IStorageProbeGrain>("20235").SetAsync("short");
            await first.Client.GetGrain<IStorageProbeGrain>("020235").SetAsync("padded");
        }

        await using var second = await StartAsync(db, serviceId);
        Assert.Equal("short", await second.Client.GetGrain<IStorageProbeGrain>("20235").GetAsync());
        Assert.Equal("padded", await second.Client.GetGrain<IStorageProbeGrain>("020235").GetAsync());
        Assert.Equal(2, await ScalarAsync(db, "SELECT count(*) FROM HvsGrainState"));
    }
}
