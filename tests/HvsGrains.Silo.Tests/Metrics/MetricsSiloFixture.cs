using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>
/// A real silo process started from the build output (as an operator runs it, so /metrics holds only its own
/// meters), that has ingested readings: three modules at Normal and one far past the critical temperature.
/// </summary>
public sealed class MetricsSiloFixture : IAsyncLifetime
{
    public const string IngestKey = SiloProcess.IngestKey;
    public const string ReadKey = SiloProcess.ReadKey;
    public const string MetricsKey = "metrics-scrape-key-0123456789";
    public const string RackId = "MetricsRackQ7";
    public const string CriticalModuleId = "MetricsRackQ7_Module04";

    private readonly DataFolder _folder = new();
    private SiloProcess? _silo;

    /// <summary>host:port of the front door.</summary>
    public string Address => _silo!.BaseAddress.Authority;

    public string DataPath => _folder.Path;

    public HttpClient Client(string? key = null, bool bearer = false)
    {
        var client = new HttpClient { BaseAddress = _silo!.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null && bearer)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        _silo = SiloProcess.Start(Path.Combine(_folder.Path, "data"), new Dictionary<string, string> { ["Hvs:ApiKeys:Metrics"] = MetricsKey });
        Assert.True(await _silo.WaitReadyAsync(), $"the silo did not become ready:\n{_silo.RecentOutput}");

        using var ingest = Client(IngestKey);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var readings = Enumerable.Range(1, 3).Select(i => HeatingSequence.Normal($"{RackId}_Module0{i}", RackId, at)).ToList();
        // Three readings 20 s apart: a rack's event takes a new level once its evidence has held 30 s of sensor time.
        readings.AddRange(Enumerable.Range(0, 3).Select(i => (object)new { moduleId = CriticalModuleId, rackId = RackId, timestamp = at.AddSeconds(20 * i), maxSurfaceTempC = 150.0 }));
        using var accepted = await ingest.PostReadingsAsync(readings);
        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());

        using var read = Client(ReadKey);
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var module = await read.GetAsync($"/api/v1/modules/{CriticalModuleId}");
            return module.IsSuccessStatusCode && (await module.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("level").GetString() == "Critical";
        }, attempts: 2000), "the critical module did not reach Critical");

        // The module reports to its rack and the rack to the warehouse one-way: the site's metrics exist once the
        // warehouse has the rack's report (its alarm included), which can come after the module answers Critical.
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var site = await read.GetAsync("/api/v1/warehouse");
            var status = await site.Content.ReadFromJsonAsync<JsonElement>();
            return site.IsSuccessStatusCode && status.GetProperty("level").GetString() == "Critical" && status.GetProperty("openAlarms").GetInt32() == 1;
        }, attempts: 2000), "the warehouse did not see the rack at Critical with its alarm");
    }

    public Task DisposeAsync()
    {
        _silo?.Dispose();
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
