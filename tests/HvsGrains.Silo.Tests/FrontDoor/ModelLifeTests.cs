using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Grains.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>The model's life through the front door: degraded without one, upload, refuse, roll back, named in status.</summary>
public sealed class ModelLifeTests : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Without_a_usable_model_the_silo_is_ready_but_degraded_and_says_why()
    {
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Model:BundledModelPath"] = "/nonexistent/hazard-model.onnx" });

        var health = await silo.ClientWithKey(null).GetJsonAsync("/health/ready");
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains("Rules only", health.GetProperty("checks").GetProperty("model").GetProperty("description").GetString());
        var model = await silo.ClientWithKey(SiloHost.ReadKey).GetJsonAsync("/api/v1/model");
        Assert.Equal(JsonValueKind.Null, model.GetProperty("current").ValueKind);
        Assert.Contains("hazard-model.onnx", model.GetProperty("rulesOnlyReason").GetString());
    }

    [Fact]
    public async Task An_uploaded_model_is_swapped_in_named_in_module_status_and_can_be_rolled_back()
    {
        var bundled = Path.Combine(_data.Path, "bundled.onnx");
        Directory.CreateDirectory(_data.Path);
        await File.WriteAllBytesAsync(bundled, TestModels.Create(Schema.Names, Schema.Hash, "bundled-1"));
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Model:BundledModelPath"] = bundled });
        var admin = silo.ClientWithKey(SiloHost.AdminKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        Assert.Equal("Healthy", (await read.GetJsonAsync("/health/ready")).GetProperty("status").GetString());

        using (var refused = await Upload(silo.ClientWithKey(SiloHost.ReadKey), TestModels.Create(Schema.Names, Schema.Hash, "sneaky")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var uploaded = await Upload(admin, TestModels.Create(Schema.Names, Schema.Hash, "uploaded-2", threshold: 40)))
        {
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        }

        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        // Three readings: the model must hold a level for three readings in a row before it raises it.
        await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(
            Enumerable.Range(0, 3).Select(i => HeatingSequence.Normal("Model_M1", "RackM", start.AddSeconds(10 * i), temperature: 56)));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await read.GetJsonAsync("/api/v1/modules/Model_M1")).GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() == 3));
        var module = await read.GetJsonAsync("/api/v1/modules/Model_M1");
        Assert.Equal("uploaded-2", module.GetProperty("modelVersion").GetString());
        Assert.Equal(0.9, module.GetProperty("hazardProbability").GetDouble(), 1e-6);
        Assert.Equal("Critical", module.GetProperty("level").GetString()); // 0.9 ≥ the model's critical 0.85, with max surface 56 °C at Watch beside it
        Assert.Equal("uploaded-2", (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("modelVersion").GetString());

        using (var foreign = await Upload(admin, TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "foreign-3", feature: Schema.Names[0])))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
            Assert.Contains("features", await foreign.Content.ReadAsStringAsync());
        }

        using (var garbage = await Upload(admin, [0x08, 0x01, 0xff, 0x00]))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, garbage.StatusCode);
        }

        using (var rollback = await admin.PostAsync("/api/v1/admin/models/rollback", null))
        {
            var view = await rollback.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("bundled-1", view.GetProperty("current").GetProperty("version").GetString());
            Assert.Equal("uploaded-2", view.GetProperty("previous").GetProperty("version").GetString());
        }
    }

    [Fact]
    public async Task A_refused_upload_is_logged_in_the_words_of_the_answer_and_the_previous_model_stays()
    {
        var bundled = Path.Combine(_data.Path, "bundled.onnx");
        Directory.CreateDirectory(_data.Path);
        await File.WriteAllBytesAsync(bundled, TestModels.Create(Schema.Names, Schema.Hash, "bundled-1"));
        var log = new CapturedLog();
        await using var host = new SiloHost(_data.Path, new() { ["Hvs:Model:BundledModelPath"] = bundled });
        await using var silo = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var admin = silo.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", SiloHost.AdminKey);

        using var foreign = await Upload(admin, TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "foreign-3", feature: Schema.Names[0]));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, foreign.StatusCode);
        var problem = await foreign.Content.ReadFromJsonAsync<JsonElement>();
        var line = Assert.Single(log.Entries, e => e.Category.EndsWith(".ModelCatalogGrain", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith(problem.GetProperty("title").GetString() + ": " + problem.GetProperty("detail").GetString(), line.Message);
        Assert.Contains("in use: bundled-1", line.Message);
        Assert.Equal("bundled-1", (await admin.GetJsonAsync("/api/v1/model")).GetProperty("current").GetProperty("version").GetString());
    }

    private static Task<HttpResponseMessage> Upload(HttpClient client, byte[] model)
    {
        var content = new ByteArrayContent(model);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync("/api/v1/admin/models", content);
    }

    public void Dispose() => _data.Dispose();
}
