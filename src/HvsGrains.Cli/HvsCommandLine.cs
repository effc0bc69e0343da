using System.CommandLine;
using HvsGrains.Cli.Commands;
using HvsGrains.Cli.Connection;

namespace HvsGrains.Cli;

/// <summary>The `hvs` command line: its commands, the exit code of every way it can end, and one-line errors.</summary>
public static class HvsCommandLine
{
    public static RootCommand Create()
    {
        var root = new RootCommand("hvs: status, alarms, models, cluster health, schema set-up, dataset replay and export for an HvsGrains cluster.")
        {
            StatusCommand.Create(),
            AlarmCommands.CreateAlarms(),
            AlarmCommands.CreateAck(),
            ModelCommand.Create(),
            ClusterCommand.Create(),
            SetupCommand.Create(),
            ReplayCommand.Create(),
            ExportCommand.Create(),
        };
        foreach (var option in GlobalOptions.All)
        {
            root.Options.Add(option);
        }

        return root;
    }

    /// <summary>Parses and runs one command line; the tests call this with their own writers.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var parse = Create().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"hvs: {problem.Message}");
            }

            await error.WriteLineAsync("Run 'hvs --help' for the commands and their options.");
            return ExitCodes.InvalidInput;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (CommandFailedException failed)
        {
            await error.WriteLineAsync($"hvs: {failed.Message}");
            return failed.ExitCode;
        }
        catch (Exception exception) when (exception is TimeoutException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException)
        {
            await error.WriteLineAsync($"hvs: the cluster stopped answering: {exception.Message}");
            return ExitCodes.Unreachable;
        }
    }

    /// <summary>Runs <paramref name="action"/> with a client of the cluster the global options name.</summary>
    public static async Task<int> WithClusterAsync(ParseResult parse, CancellationToken cancellationToken, Func<CliContext, IClusterClient, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var context = CliContext.Of(parse);
        await using var connection = await ClusterConnection.ConnectAsync(ClusterTarget.Of(parse), context.ConnectTimeout, cancellationToken);
        return await action(context, connection.Client);
    }
}
