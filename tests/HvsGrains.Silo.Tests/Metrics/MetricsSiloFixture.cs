using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>
/// A real silo process started from the build output (as an operator runs it, so /metrics holds only its own
/// meters), that has ingested readings: three modules at Normal and one far past the critical temperature.
/// </summary>
public sealed class MetricsSiloFixture : IAsyncLifetime
{
    public const string IngestKey = "metrics-ingest-key-0123456789";
    public const string ReadKey = "metrics-read-key-0123456789";
    public const string MetricsKey = "metrics-scrape-key-0123456789";
    public const string RackId = "MetricsRackQ7";
    public const string CriticalModuleId = "MetricsRackQ7_Module04";

    private readonly DataFolder _folder = new();
    private Process? _silo;

    /// <summary>host:port of the front door.</summary>
    public string Address { get; private set; } = string.Empty;

    public string DataPath => _folder.Path;

    public HttpClient Client(string? key = null, bool bearer = false)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://{Address}"), Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null && bearer)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        else if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        var ports = FreeTcpPorts.Next(3);
        Address = $"127.0.0.1:{ports[0]}";
        _silo = Start(ports);
        using var read = Client(ReadKey);
        Assert.True(await Eventually.HoldsAsync(async () => await ReadyAsync(read), attempts: 6000), "the silo did not become ready");

        using var ingest = Client(IngestKey);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var readings = Enumerable.Range(1, 3).Select(i => HeatingSequence.Normal($"{RackId}_Module0{i}", RackId, at)).ToList();
        readings.Add(new { moduleId = CriticalModuleId, rackId = RackId, timestamp = at, maxSurfaceTempC = 150.0 });
        using var accepted = await ingest.PostReadingsAsync(readings);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var module = await read.GetAsync($"/api/v1/modules/{CriticalModuleId}");
            return module.IsSuccessStatusCode && (await module.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("level").GetString() == "Critical";
        }, attempts: 2000), "the critical module did not reach Critical");
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            _silo.Kill(entireProcessTree: true);
            await _silo.WaitForExitAsync();
            _silo.Dispose();
        }

        _folder.Dispose();
    }

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

    private Process Start(int[] ports)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepositoryFiles.Find($"src/HvsGrains.Silo/bin/{configuration}/net10.0/HvsGrains.Silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", $"http://{Address}" },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["Hvs__DataDirectory"] = Path.Combine(_folder.Path, "data");
        start.Environment["Hvs__ApiKeys__Ingest"] = IngestKey;
        start.Environment["Hvs__ApiKeys__Read"] = ReadKey;
        start.Environment["Hvs__ApiKeys__Admin"] = "metrics-admin-key-0123456789";
        start.Environment["Hvs__ApiKeys__Metrics"] = MetricsKey;
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
}
