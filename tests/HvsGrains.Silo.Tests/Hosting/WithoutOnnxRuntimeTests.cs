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
        var app = SiloOutputCopy.Make(Path.Combine(_folder.Path, "app"), $$"""
            {
              "Logging": { "LogLevel": { "Default": "Warning" } },
              "Hvs": {
                "DataDirectory": "{{Path.Combine(_folder.Path, "data")}}",
                "ApiKeys": { "Ingest": "{{IngestKey}}", "Read": "{{ReadKey}}", "Admin": "no-onnx-admin-key-0123456789" }
              }
            }
            """, withoutOnnxRuntime: true);
        using var silo = app.Start(app.Folder, FreeTcpPorts.Next(3));
        var http = silo.Http;
        http.DefaultRequestHeaders.Add("X-Api-Key", ReadKey);
        Assert.True(await silo.BecomesReadyAsync(), $"the silo did not become ready:{Environment.NewLine}{string.Join(Environment.NewLine, silo.Output.TakeLast(20))}");

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

    public void Dispose() => _folder.Dispose();
}
