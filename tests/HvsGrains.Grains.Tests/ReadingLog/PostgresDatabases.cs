using HvsGrains.Grains.ReadingLog;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.ReadingLog;

/// <summary>One PostgreSQL server for a test class; each test takes a database of its own.</summary>
public sealed class PostgresDatabases : IAsyncLifetime
{
    private int _next;

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A fresh, empty database; returns its name.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = $"readings{Interlocked.Increment(ref _next)}";
        await Server.CreateDatabaseAsync(name);
        return name;
    }

    /// <summary>A log on <paramref name="database"/> of <paramref name="server"/>, with short retry delays for tests.</summary>
    internal static PostgreSqlReadingLog Open(PostgresServer server, string database, IReadingCommitListener? listener = null, TimeSpan? commitTimeout = null) =>
        new(Options.Create(new PostgreSqlReadingLogOptions
        {
            ConnectionString = server.ConnectionString(database),
            CommitTimeout = commitTimeout ?? TimeSpan.FromSeconds(5),
            RetryDelay = TimeSpan.FromMilliseconds(200),
            ProbeTimeout = TimeSpan.FromSeconds(2),
        }), NullLogger<PostgreSqlReadingLog>.Instance, listener);
}
