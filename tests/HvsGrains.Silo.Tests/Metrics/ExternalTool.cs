using System.Diagnostics;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>Runs Debian's Prometheus tools (package "prometheus"; tests/run-all.sh installs it).</summary>
public static class ExternalTool
{
    public const string Promtool = "promtool";
    public const string Prometheus = "prometheus";

    /// <summary>The tool's full path; fails the test with what to install when it is missing.</summary>
    public static string Find(string name)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin");
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{name} is not installed: install Debian's package 'prometheus' (apt-get install prometheus), as bash tests/run-all.sh does.");
    }

    /// <summary>Runs <paramref name="name"/> to its end; the exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string name, IEnumerable<string> arguments, string? workingDirectory = null, string? input = null)
    {
        var start = new ProcessStartInfo(Find(name))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        return (process.ExitCode, (await output) + (await errors));
    }
}
