using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>
/// The silo's build output as a folder of its own (links, nearly instant) with an appsettings.json the test writes,
/// run as a process of its own from any working directory, its console output kept line by line.
/// </summary>
public sealed class SiloOutputCopy
{
    private SiloOutputCopy(string folder) => Folder = folder;

    public string Folder { get; }

    /// <summary>
    /// Links the build output into <paramref name="target"/>, with <paramref name="appSettingsJson"/> as its
    /// appsettings.json; <paramref name="withoutOnnxRuntime"/> leaves out ONNX Runtime's native libraries and the
    /// dependency manifest's entries for them (else the host finds them in the NuGet cache).
    /// </summary>
    public static SiloOutputCopy Make(string target, string appSettingsJson, bool withoutOnnxRuntime = false)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var silo = Path.GetDirectoryName(RepositoryFiles.Find($"src/HvsGrains.Silo/bin/{configuration}/net10.0/HvsGrains.Silo.dll"))!;
        foreach (var file in Directory.EnumerateFiles(silo, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(silo, file);
            if (withoutOnnxRuntime && relative.StartsWith("runtimes", StringComparison.Ordinal) && Path.GetFileName(file).Contains("onnxruntime", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var link = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (relative == "appsettings.json")
            {
                File.WriteAllText(link, appSettingsJson);
            }
            else if (withoutOnnxRuntime && relative == "HvsGrains.Silo.deps.json")
            {
                File.WriteAllText(link, WithoutOnnxRuntimeNativeAssets(File.ReadAllText(file)));
            }
            else if (relative is "HvsGrains.Silo.dll" or "HvsGrains.Silo.runtimeconfig.json" or "HvsGrains.Silo.deps.json" or "Microsoft.ML.OnnxRuntime.dll")
            {
                // Copies: the host takes the app's folder from the real path of its main assembly, and the
                // managed ONNX Runtime looks for its library beside its own real path.
                File.Copy(file, link);
            }
            else
            {
                File.CreateSymbolicLink(link, file);
            }
        }

        return new SiloOutputCopy(target);
    }

    /// <summary>Starts the silo from <paramref name="workingDirectory"/> on loopback <paramref name="ports"/> (HTTP, silo, gateway).</summary>
    public Running Start(string workingDirectory, int[] ports)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(Folder, "HvsGrains.Silo.dll"), "--urls", $"http://127.0.0.1:{ports[0]}" },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Hvs__Orleans__SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture);
        return new Running(Process.Start(start)!, ports[0]);
    }

    private static string WithoutOnnxRuntimeNativeAssets(string depsJson)
    {
        var deps = System.Text.Json.Nodes.JsonNode.Parse(depsJson)!;
        foreach (var (_, libraries) in deps["targets"]!.AsObject())
        {
            foreach (var (name, library) in libraries!.AsObject())
            {
                if (name.StartsWith("Microsoft.ML.OnnxRuntime/", StringComparison.Ordinal))
                {
                    library!.AsObject().Remove("runtimeTargets");
                }
            }
        }

        return deps.ToJsonString();
    }

    /// <summary>A running silo process; disposing it kills it.</summary>
    public sealed class Running : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _output = new();

        internal Running(Process process, int port)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => Keep(e.Data);
            _process.ErrorDataReceived += (_, e) => Keep(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Http { get; }

        public IReadOnlyList<string> Output => [.. _output];

        public async Task<bool> BecomesReadyAsync() => await Eventually.HoldsAsync(async () =>
        {
            try
            {
                using var response = await Http.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, attempts: 6000);

        public void Dispose()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is not null)
            {
                _output.Enqueue(line);
            }
        }
    }
}
