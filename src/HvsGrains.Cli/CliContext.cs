using System.CommandLine;
using HvsGrains.Cli.Output;

namespace HvsGrains.Cli;

/// <summary>What one invocation writes to and was asked for: its output writers, JSON or tables, the site, timeouts.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool Json, string Site, TimeSpan ConnectTimeout)
{
    public static CliContext Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var seconds = parse.GetValue(GlobalOptions.ConnectTimeout);
        if (seconds < 1)
        {
            throw new CommandFailedException(ExitCodes.InvalidInput, "--connect-timeout must be at least 1 second.");
        }

        return new CliContext(
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(GlobalOptions.Json),
            parse.GetValue(GlobalOptions.Site)!,
            TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Writes <paramref name="value"/> as JSON, or the table <paramref name="human"/> writes.</summary>
    public void Write<T>(T value, Action<TextWriter> human)
    {
        ArgumentNullException.ThrowIfNull(human);
        if (Json)
        {
            Out.WriteLine(JsonOutput.Serialize(value));
        }
        else
        {
            human(Out);
        }
    }
}
