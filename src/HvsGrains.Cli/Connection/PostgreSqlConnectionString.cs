using System.Data.Common;
using Npgsql;

namespace HvsGrains.Cli.Connection;

/// <summary>The cluster database's connection string as the tool uses it: checked, and bounded by the connect timeout.</summary>
public static class PostgreSqlConnectionString
{
    /// <summary>The connect timeout bounds the wait for a database that is not there (Npgsql's own default is 15 s).</summary>
    public static string WithTimeout(string connectionString, TimeSpan timeout)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!new DbConnectionStringBuilder { ConnectionString = connectionString }.ContainsKey("Timeout"))
            {
                builder.Timeout = (int)timeout.TotalSeconds;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException invalid)
        {
            throw new CommandFailedException(ExitCodes.InvalidInput, $"--database is not an Npgsql connection string: {invalid.Message}", invalid);
        }
    }
}
