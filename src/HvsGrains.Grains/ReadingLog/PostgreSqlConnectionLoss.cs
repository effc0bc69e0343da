using System.Net.Sockets;
using Npgsql;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>Telling a lost database connection from an error in a statement, and what to do about it.</summary>
internal static class PostgreSqlConnectionLoss
{
    /// <summary>A failure worth waiting out when the database may just be away (opening the log, readiness): Npgsql's own judgement, or the network's.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or TimeoutException or IOException or SocketException;

    /// <summary>The connection itself failed (the server went away, is starting, or ended it), not the statement.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        PostgresException server => server.SqlState.StartsWith("57P", StringComparison.Ordinal) || server.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        _ => exception.InnerException is IOException or SocketException,
    };

    /// <summary>
    /// Closes every idle pooled connection of this process. After a database restart they are all dead, and each would fail
    /// once on its next use: in this log's own data source (not in Npgsql's global pools, so cleared by name), and in
    /// Orleans' membership and grain storage, which open theirs by connection string.
    /// </summary>
    public static void ForgetIdleConnections(NpgsqlDataSource logQueries)
    {
        ArgumentNullException.ThrowIfNull(logQueries);
        logQueries.Clear();
        NpgsqlConnection.ClearAllPools();
    }
}
