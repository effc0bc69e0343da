using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Cli.Tests;

/// <summary>
/// One real silo process (the silo's build output, its own HTTP and gateway ports and data folder) shared by the
/// tool's tests; each test uses its own module, rack and alarm ids. Silos follow the model catalog and report shadow
/// comparisons every half second.
/// </summary>
public sealed class CliSilo : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("hvs-cli-silo-").FullName;
    private SiloProcess? _silo;

    public SiloProcess Silo => _silo ?? throw new InvalidOperationException("The silo has not started.");

    public string Gateway => $"127.0.0.1:{Silo.GatewayPort}";

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(_data, new Dictionary<string, string>
        {
            ["Hvs:Model:CatalogPollInterval"] = "00:00:00.500",
            ["Hvs:Model:Shadow:ReportInterval"] = "00:00:00.500",
        });
        Assert.True(await _silo.WaitReadyAsync(), $"the silo did not become ready:{Environment.NewLine}{_silo.RecentOutput}");
    }

    /// <summary>Runs `hvs` against this silo's gateway.</summary>
    public Task<HvsRun> HvsAsync(params string[] args) => HvsRun.RunAsync([.. args, "--gateway", Gateway]);

    public async Task PostReadingsAsync(IEnumerable<object> readings)
    {
        using var http = Silo.Client(SiloProcess.IngestKey);
        using var response = await http.PostAsJsonAsync("/api/v1/readings", readings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var http = Silo.Client(SiloProcess.ReadKey);
        return await http.GetFromJsonAsync<JsonElement>(path);
    }

    public Task DisposeAsync()
    {
        _silo?.Dispose();
        Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class CliSiloCollection : ICollectionFixture<CliSilo>
{
    public const string Name = "cli silo";
}
