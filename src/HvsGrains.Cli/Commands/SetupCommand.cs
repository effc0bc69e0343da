using System.CommandLine;
using System.Data.Common;
using HvsGrains.Grains.Cluster;
using Npgsql;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs setup --database CONNECTION</c>: creates or migrates the cluster's PostgreSQL schema and prints its version.</summary>
public static class SetupCommand
{
    public static Command Create()
    {
        var database = new Option<string>("--database") { Description = "Npgsql connection string of the cluster's database (Hvs:Cluster:ConnectionString)", Required = true };
        var command = new Command("setup", "Create or migrate the cluster's PostgreSQL schema (idempotent; safe beside running silos).") { database };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Of(parse);
            var connectionString = WithTimeout(parse.GetValue(database)!, context.ConnectTimeout);
            IReadOnlyList<int> applied;
            int version;
            try
            {
                applied = await PostgreSqlSchema.EnsureCreatedAsync(connectionString, cancellationToken);
                version = await PostgreSqlSchema.ReadVersionAsync(connectionString, cancellationToken);
            }
            catch (NpgsqlException exception) when (exception.IsTransient || exception.InnerException is System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new CommandFailedException(ExitCodes.Unreachable, $"The database does not answer: {exception.Message}", exception);
            }
            catch (NpgsqlException exception)
            {
                throw new CommandFailedException(ExitCodes.Refused, $"The database refused the schema: {exception.Message}", exception);
            }
            catch (InvalidOperationException newer)
            {
                throw new CommandFailedException(ExitCodes.Refused, newer.Message, newer);
            }

            var result = new SetupResult(version, PostgreSqlSchema.CurrentVersion, applied);
            context.Write(result, output => output.WriteLine(applied.Count == 0
                ? $"Schema version {version}: already current, nothing to do."
                : $"Schema version {version}: applied migration{(applied.Count == 1 ? "" : "s")} {string.Join(", ", applied)}."));
            return ExitCodes.Ok;
        });
        return command;
    }

    // The connect timeout bounds the wait for a database that is not there (Npgsql's own default is 15 s).
    private static string WithTimeout(string connectionString, TimeSpan timeout)
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

    /// <summary>The schema version now, the newest this build knows, and the migrations applied by this run.</summary>
    public sealed record SetupResult(int Version, int CurrentVersion, IReadOnlyList<int> Applied);
}
