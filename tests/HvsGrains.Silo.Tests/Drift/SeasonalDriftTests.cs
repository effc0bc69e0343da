using System.Net;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;
using HvsGrains.Silo.Tests.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Silo.Tests.Drift;

/// <summary>
/// Drift watch through the front door, on real ONNX Runtime with a model whose metadata carries the site's baseline:
/// the same site a season warmer drifts in its temperature features only and raises no hazard alarm; the same site
/// as it was is stable.
/// </summary>
public sealed class SeasonalDriftTests(SeasonalSite site) : IClassFixture<SeasonalSite>, IDisposable
{
    private static readonly string[] TemperatureFeatures =
    [
        "Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C",
        .. new[] { "1m", "5m", "10m" }.SelectMany(w => new[] { "Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C" }
            .Select(c => $"Rolling_mean_{w}_{c}")),
    ];

    private readonly DataFolder _data = new();

    [Fact]
    public async Task A_site_a_season_warmer_drifts_in_its_temperature_features_only_and_raises_no_alarm()
    {
        var log = new CapturedLog();
        await using var host = Silo();
        await using var silo = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var drift = await FeedAsync(silo, shiftC: 15);
        var linesWhileFed = DriftLines(log).Count;
        await Client(silo, SiloHost.ReadKey).GetJsonAsync("/api/v1/model/drift"); // one more report: nothing crossed, nothing logged
        Assert.Equal(linesWhileFed, DriftLines(log).Count);

        var window = Window(drift, "1h");
        Assert.Equal(site.ReadingCount, window.GetProperty("readings").GetInt64());
        var verdicts = Verdicts(window);
        Assert.All(TemperatureFeatures, f => Assert.True(verdicts[f].Verdict == "Drifted", $"{f}: {verdicts[f]}"));
        Assert.All(TemperatureFeatures, f => Assert.True(verdicts[f].Psi > 1 && verdicts[f].Ks > 0.9, $"{f}: {verdicts[f]}"));
        var unrelated = verdicts.Where(v => !TemperatureFeatures.Contains(v.Key)).ToList();
        Assert.Equal(79 - TemperatureFeatures.Length, unrelated.Count);
        Assert.All(unrelated, v => Assert.True(v.Value.Verdict == "Stable", $"{v.Key}: {v.Value}"));

        var advisory = drift.GetProperty("advisory");
        Assert.Equal(TemperatureFeatures.Order(StringComparer.Ordinal), advisory.GetProperty("features").EnumerateArray().Select(f => f.GetString()!));
        Assert.Contains("advisory, not a hazard", advisory.GetProperty("message").GetString());
        // Logged once when raised (while the feed was still arriving, partial windows may have added or dropped
        // other features for a while, each change logged once; the temperature features never left).
        var raised = Assert.Single(DriftLines(log), e => e.Message.Contains("feature(s) left model", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, raised.Level);
        Assert.Contains("Ambient_Temp_C over 1h: PSI", raised.Message);
        Assert.DoesNotContain(DriftLines(log), e => e.Message.Contains("cleared", StringComparison.Ordinal));

        // An advisory, never a hazard: no alarm, the site stays Normal, and the site status shows the advisory.
        var read = Client(silo, SiloHost.ReadKey);
        var alarms = await read.GetJsonAsync("/api/v1/alarms");
        Assert.DoesNotContain(alarms.EnumerateArray(), a => a.GetProperty("kind").GetString() != "SensorFault");
        var warehouse = await read.GetJsonAsync("/api/v1/warehouse");
        Assert.Equal("Normal", warehouse.GetProperty("level").GetString());
        Assert.Equal(0, warehouse.GetProperty("openAlarms").GetInt32());
        Assert.Equal(TemperatureFeatures.Length, warehouse.GetProperty("modelDrift").GetProperty("features").GetArrayLength());

        // Prometheus: the site's figures per feature and window, and the advisory, in promtool's conventions.
        var drifting = (await (await read.GetAsync("/metrics")).Content.ReadAsStringAsync()).Split('\n')
            .Where(l => l.Contains("hvs_model_drift_", StringComparison.Ordinal)).ToList();
        Assert.Contains(drifting, l => l.StartsWith("hvs_model_drift_advisory{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(drifting, l => l.StartsWith("hvs_model_drift_psi{", StringComparison.Ordinal) && l.Contains("feature=\"Ambient_Temp_C\"", StringComparison.Ordinal)
            && l.Contains("window=\"1h\"", StringComparison.Ordinal));
        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "metrics"], input: string.Join('\n', drifting) + "\n");
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics (exit {exitCode}):\n{output}");
    }

    [Fact]
    public async Task The_site_as_its_baseline_saw_it_is_stable_in_every_feature()
    {
        await using var silo = Silo();
        var drift = await FeedAsync(silo, shiftC: 0);

        Assert.Equal(JsonValueKind.Null, drift.GetProperty("advisory").ValueKind);
        foreach (var name in new[] { "1h", "24h" })
        {
            var window = Window(drift, name);
            Assert.Equal(site.ReadingCount, window.GetProperty("readings").GetInt64());
            Assert.All(Verdicts(window), v => Assert.True(v.Value.Verdict == "Stable" && v.Value.Psi < 0.02, $"{name} {v.Key}: {v.Value}"));
        }

        var warehouse = await Client(silo, SiloHost.ReadKey).GetJsonAsync("/api/v1/warehouse");
        Assert.Equal(JsonValueKind.Null, warehouse.GetProperty("modelDrift").ValueKind);
    }

    [Fact]
    public async Task The_drift_answer_names_the_model_its_thresholds_and_filters_by_window_and_feature()
    {
        await using var silo = Silo();
        var read = Client(silo, SiloHost.ReadKey);
        var drift = await read.GetJsonAsync("/api/v1/model/drift?window=24h&feature=Ambient_Temp_C");

        Assert.Equal((await read.GetJsonAsync("/api/v1/model")).GetProperty("current").GetProperty("version").GetString(), drift.GetProperty("modelVersion").GetString());
        Assert.Equal(0.25, drift.GetProperty("thresholds").GetProperty("psiDrifted").GetDouble());
        Assert.Equal(0.2, drift.GetProperty("thresholds").GetProperty("ksDrifted").GetDouble());
        var window = Assert.Single(drift.GetProperty("windows").EnumerateArray());
        Assert.Equal("24h", window.GetProperty("window").GetString());
        var feature = Assert.Single(window.GetProperty("features").EnumerateArray());
        Assert.Equal("Ambient_Temp_C", feature.GetProperty("feature").GetString());
        Assert.Equal("InsufficientData", feature.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("window=2h", "window")]
    [InlineData("window=", "window")]
    [InlineData("feature=Module_Temperature", "feature")]
    public async Task Bad_query_parameters_get_400_naming_the_parameter(string query, string field)
    {
        await using var silo = Silo();
        using var response = await Client(silo, SiloHost.ReadKey).GetAsync($"/api/v1/model/drift?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    public void Dispose() => _data.Dispose();

    private SiloHost Silo() => new(_data.Path, new() { ["Hvs:Model:BundledModelPath"] = site.ModelPath });

    /// <summary>Posts the site's readings (ending an hour ago) and waits until the drift answer holds them all.</summary>
    private async Task<JsonElement> FeedAsync(WebApplicationFactory<Program> silo, double shiftC)
    {
        var ingest = Client(silo, SiloHost.IngestKey);
        foreach (var batch in site.Readings(DateTimeOffset.UtcNow.AddHours(-3), shiftC).Chunk(500))
        {
            using var response = await ingest.PostReadingsAsync(batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var read = Client(silo, SiloHost.ReadKey);
        JsonElement drift = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            drift = await read.GetJsonAsync("/api/v1/model/drift");
            return drift.GetProperty("windows").GetArrayLength() == 2 && Window(drift, "24h").GetProperty("readings").GetInt64() >= site.ReadingCount;
        }), "the drift answer never held every reading");
        return drift;
    }

    private static List<CapturedLog.Entry> DriftLines(CapturedLog log) =>
        [.. log.Entries.Where(e => e.Category.EndsWith(".ModelDriftGrain", StringComparison.Ordinal))];

    private static HttpClient Client(WebApplicationFactory<Program> silo, string key)
    {
        var client = silo.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static JsonElement Window(JsonElement drift, string name) =>
        drift.GetProperty("windows").EnumerateArray().Single(w => w.GetProperty("window").GetString() == name);

    private static Dictionary<string, (string Verdict, double Psi, double Ks)> Verdicts(JsonElement window) =>
        window.GetProperty("features").EnumerateArray().ToDictionary(
            f => f.GetProperty("feature").GetString()!,
            f => (f.GetProperty("verdict").GetString()!, f.GetProperty("psi").GetDouble(), f.GetProperty("ks").GetDouble()));
}
