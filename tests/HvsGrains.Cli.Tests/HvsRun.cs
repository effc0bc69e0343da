using System.Text.Json;

namespace HvsGrains.Cli.Tests;

/// <summary>One run of the `hvs` tool through its real command-line entry point, in process, with what it wrote.</summary>
public sealed record HvsRun(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;

    public static async Task<HvsRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HvsCommandLine.RunAsync(args, output, error);
        return new HvsRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout: {Output}{Environment.NewLine}stderr: {Error}";
}
