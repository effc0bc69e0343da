using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvsGrains.Silo.Tests.FrontDoor;
using HvsGrains.Silo.Tests.Hosting;

namespace HvsGrains.Silo.Tests.Deployment;

/// <summary>
/// The image cannot be built here (no base image can be pulled), so its steps are run as far as they go without Docker:
/// the Dockerfile's own publish command on a copy of the repository's files (as a fresh clone has them, no obj/, no
/// node_modules) with `node` and `npm` made to fail, then the published silo started with the image's ENV and
/// ENTRYPOINT, answering the manifests' probes and serving the chart library the site page loads.
/// </summary>
public sealed partial class DockerfileTests : IDisposable
{
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task The_dockerfiles_publish_without_node_gives_a_silo_that_answers_the_probes_and_serves_the_chart_library()
    {
        var dockerfile = Dockerfile.Load();
        var source = Path.Combine(_folder.Path, "src");
        var published = Path.Combine(_folder.Path, "app");
        await CopyRepositoryFilesAsync(dockerfile.RepositoryRoot, source);
        Assert.False(File.Exists(Path.Combine(source, "src/HvsGrains.Silo/obj/project.assets.json")), "the copy has build output");

        // The Dockerfile's command, its output folder moved into the test's; no build servers left behind.
        var arguments = dockerfile.PublishArguments.Select(a => a == dockerfile.PublishedFolder ? published : a).ToList();
        Assert.Contains(published, arguments);
        var (exitCode, output) = await RunAsync("dotnet", [.. arguments, "--disable-build-servers"], source, WithoutNode());
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{output}");

        // Every library file the site's pages load is in the published wwwroot/lib.
        var pages = Directory.GetFiles(Path.Combine(published, "wwwroot", "dashboard"), "*.html");
        var libraryFiles = pages.SelectMany(p => LibraryReference().Matches(File.ReadAllText(p)).Select(m => m.Groups["file"].Value)).Distinct().ToList();
        Assert.Contains("uPlot.iife.min.js", libraryFiles);
        Assert.All(libraryFiles, f => Assert.True(File.Exists(Path.Combine(published, "wwwroot", "lib", f)), $"wwwroot/lib/{f} was not published"));
        Assert.True(File.Exists(Path.Combine(published, "wwwroot", "lib", "uPlot.LICENSE.txt")), "the chart library's licence was not published");

        var manifests = RenderedManifests.Render("embedded");
        using var silo = Start(dockerfile, published, Path.Combine(_folder.Path, "data"));
        Assert.True(await silo.BecomesReadyAsync(), "the published silo did not become ready:\n" + string.Join('\n', silo.Output));

        // The probes' paths are the silo's: readiness reports its checks, liveness answers.
        var container = manifests.SiloContainer;
        using (var readiness = await silo.Http.GetAsync(container.ReadinessProbe.HttpGet.Path))
        {
            Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
            using var report = JsonDocument.Parse(await readiness.Content.ReadAsStringAsync());
            Assert.True(report.RootElement.GetProperty("checks").TryGetProperty("readings-log", out _), "the readiness probe's path does not run the silo's checks");
        }

        foreach (var path in new[] { container.LivenessProbe.HttpGet.Path, container.StartupProbe.HttpGet.Path })
        {
            using var liveness = await silo.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, liveness.StatusCode);
        }

        using var library = await silo.Http.GetAsync("/dashboard/assets/lib/uPlot.iife.min.js");
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Contains("uPlot", await library.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>The image's ENV and ENTRYPOINT, its working directory the published folder; ports and data folder the test's own.</summary>
    private static SiloOutputCopy.Running Start(Dockerfile dockerfile, string published, string dataDirectory)
    {
        Assert.DoesNotContain("ASPNETCORE_URLS", dockerfile.Env.Keys);
        var entrypoint = dockerfile.Entrypoint;
        var start = new ProcessStartInfo(entrypoint[0]) { WorkingDirectory = published, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in entrypoint[1..])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in dockerfile.Env)
        {
            start.Environment[name] = value;
        }

        var ports = FreeTcpPorts.Next(3);
        start.Environment["Hvs__DataDirectory"] = dataDirectory;
        start.Environment["ASPNETCORE_HTTP_PORTS"] = ports[0].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__ApiKeys__Read"] = "image-read-key-0123456789";
        return new SiloOutputCopy.Running(Process.Start(start)!, ports[0]);
    }

    /// <summary>The files a fresh clone has (tracked, or new and not ignored), copied as they are in the work tree.</summary>
    private static async Task CopyRepositoryFilesAsync(string root, string target)
    {
        var (exitCode, output) = await RunAsync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], root);
        Assert.True(exitCode == 0, $"git ls-files failed: {output}");
        foreach (var file in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var from = Path.Combine(root, file);
            if (File.Exists(from))
            {
                var to = Path.Combine(target, file);
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(from, to);
            }
        }
    }

    /// <summary>A PATH whose first folder has `node` and `npm` that fail, so a build that still called them fails.</summary>
    private Dictionary<string, string> WithoutNode()
    {
        var folder = Path.Combine(_folder.Path, "no-node");
        Directory.CreateDirectory(folder);
        foreach (var tool in new[] { "node", "npm", "npx" })
        {
            var path = Path.Combine(folder, tool);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{tool} was called: the build must not need Node.js\" >&2\nexit 97\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new() { ["PATH"] = folder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH") };
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, IEnumerable<string> arguments, string workingDirectory, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex("/dashboard/assets/lib/(?<file>[A-Za-z0-9._-]+)")]
    private static partial Regex LibraryReference();
}
