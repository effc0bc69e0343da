using System.CommandLine;
using HvsGrains.Cli.Connection;
using HvsGrains.Grains.Cluster;
using Npgsql;

namespace HvsGrains.Cli.Commands;

/// <summary><c>hvs setup --database CONNECTION</c>: creates or migrates the cluster's PostgreSQL schema and prints its version.</summary>
public static class SetupCommand
{
    public static Command Create()
    {
        var command = new Command("setup", "Create or migrate the cluster's PostgreSQL schema given by --database (idempotent; safe beside running silos).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = CliContext.Of(parse);
            var database = ClusterTarget.DatabaseOf(parse)
                ?? throw new CommandFailedException(ExitCodes.InvalidInput, $"setup needs the cluster's database: --database CONNECTION (or ${ClusterTarget.DatabaseVariable}).");
            var connectionString = PostgreSqlConnectionString.WithTimeout(database, context.ConnectTimeout);
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

    /// <summary>The schema version now, the newest this build knows, and the migrations applied by this run.</summary>
    public sealed record SetupResult(int Version, int CurrentVersion, IReadOnlyList<int> Applied);
}
