namespace HvsGrains.Silo.Tests.Cluster;

/// <summary>The PostgreSQL the cluster tests start: its own data, and it can be taken away and brought back.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public async Task Keeps_committed_rows_across_an_immediate_stop_and_a_restart()
    {
        await using var server = await PostgresServer.StartNewAsync();
        await server.CreateDatabaseAsync("survives");
        await server.QueryAsync("CREATE TABLE kept (id int primary key); INSERT INTO kept VALUES (1), (2);", "survives");

        await server.StopAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.QueryAsync("SELECT 1", "survives"));
        await server.StartAsync();

        Assert.Equal("2", (await server.QueryAsync("SELECT count(*) FROM kept", "survives")).Trim());
    }
}
