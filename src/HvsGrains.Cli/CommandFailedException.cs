namespace HvsGrains.Cli;

/// <summary>Ends a command with a one-line message on stderr and a meaningful exit code (see <see cref="ExitCodes"/>).</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, string message)
        : base(message) => ExitCode = exitCode;

    public CommandFailedException(int exitCode, string message, Exception innerException)
        : base(message, innerException) => ExitCode = exitCode;

    public int ExitCode { get; }
}
