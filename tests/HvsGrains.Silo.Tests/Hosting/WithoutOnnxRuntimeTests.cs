using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>
/// An install where ONNX Runtime's native library is missing: the published silo, run as its own process
/// from a copy of its output without libonnxruntime, must start, say why it runs on the rules alone and
/// keep assessing readings. A process of its own, because the native library loads once per process.
/// </summary>
public sealed class WithoutOnnxRuntimeTests : IDisposable
{
    private const string ReadKey = "no-onnx-read-key-0123456789";
    private const string IngestKey = "no-onnx-ingest-key-0123456789";
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task The_silo_starts_on_the_rules_and_says_that_onnx_runtime_is_missing()
    {
        var app = LinkCopyWithoutOnnxRuntime(Path.Combine(_folder.Path, "app"));
        var ports = FreeTcpPorts.Next(3);
        var port = ports[0];
        using var silo = Start(app, ports);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        try
        {
            Assert.True(await Eventually.HoldsAsync(async () => await ReadyAsync(http), attempts: 6000), "the silo did not become ready");

            var health = await http.GetFromJsonAsync<JsonElement>("/health/ready");
            Assert.Equal("Degraded", health.GetProperty("status").GetString());
            var model = await http.GetFromJsonAsync<JsonElement>("/api/v1/model");
            Assert.Equal(JsonValueKind.Null, model.GetProperty("current").ValueKind);
            Assert.StartsWith("ONNX Runtime is unavailable", model.GetProperty("rulesOnlyReason").GetString(), StringComparison.Ordinal);

            // The rules still decide: a reading far past the critical temperature makes the module Critical.
            using var ingest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/readings")
            {
                Content = JsonContent.Create(new[] { new { moduleId = "NoOnnx_Module01", rackId = "NoOnnx", timestamp = DateTimeOffset.UtcNow.AddMinutes(-1), maxSurfaceTempC = 150.0 } }),
            };
            ingest.Headers.Add("X-Api-Key", IngestKey);
            using var accepted = await http.SendAsync(ingest);
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
            Assert.True(await Eventually.HoldsAsync(async () =>
            {
                using var module = await http.GetAsync("/api/v1/modules/NoOnnx_Module01");
                return module.IsSuccessStatusCode
                    && (await module.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("level").GetString() == "Critical";
            }, attempts: 2000), "the rules did not raise the module to Critical");
        }
        finally
        {
            silo.Kill(entireProcessTree: true);
            await silo.WaitForExitAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private Process Start(string app, int[] ports)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(app, "HvsGrains.Silo.dll"), "--urls", $"http://127.0.0.1:{ports[0]}" },
            WorkingDirectory = app,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Hvs__DataDirectory"] = Path.Combine(_folder.Path, "data");
        start.Environment["Hvs__ApiKeys__Ingest"] = IngestKey;
        start.Environment["Hvs__ApiKeys__Read"] = ReadKey;
        start.Environment["Hvs__ApiKeys__Admin"] = "no-onnx-admin-key-0123456789";
        start.Environment["Hvs__Orleans__SiloPort"] = ports[1].ToString(CultureInfo.InvariantCulture);
        start.Environment["Hvs__Orleans__GatewayPort"] = ports[2].ToString(CultureInfo.InvariantCulture);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// The silo's build output as symbolic links (nearly instant) without ONNX Runtime's native libraries, and a
    /// dependency manifest that no longer lists them (else the host finds them in the NuGet cache).
    /// </summary>
    private static string LinkCopyWithoutOnnxRuntime(string target)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var silo = Path.GetDirectoryName(RepositoryFiles.Find($"src/HvsGrains.Silo/bin/{configuration}/net10.0/HvsGrains.Silo.dll"))!;
        foreach (var file in Directory.EnumerateFiles(silo, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(silo, file);
            if (Path.GetFileName(file).Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) && relative.StartsWith("runtimes", StringComparison.Ordinal))
            {
                continue;
            }

            var link = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (relative == "HvsGrains.Silo.deps.json")
            {
                File.WriteAllText(link, WithoutOnnxRuntimeNativeAssets(File.ReadAllText(file)));
            }
            else if (relative is "HvsGrains.Silo.dll" or "HvsGrains.Silo.runtimeconfig.json" or "Microsoft.ML.OnnxRuntime.dll")
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

        return target;
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
}
