using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Concurrent_batches_for_the_same_module_lose_no_reading()
    {
        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        // Eight gateways' batches interleave in time for one module.
        var batches = Enumerable.Range(0, 8).Select(b =>
            Enumerable.Range(0, 100).Select(i => HeatingSequence.Normal("Busy_M1", "RackBusy", start.AddSeconds((i * 8) + b))).ToList());

        var responses = await Task.WhenAll(batches.Select(batch => Task.Run(() => ingest.PostReadingsAsync(batch))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var accepted = 0;
        foreach (var response in responses)
        {
            accepted += (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
        }

        Assert.Equal(800, accepted);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var history = await read.GetJsonAsync($"/api/v1/modules/Busy_M1/readings?from={from}");
        Assert.Equal(800, history.GetProperty("readings").GetArrayLength());
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var quality = (await read.GetJsonAsync("/api/v1/modules/Busy_M1")).GetProperty("dataQuality");
            return quality.GetProperty("appliedReadings").GetInt64() + quality.GetProperty("lateReadings").GetInt64() == 800;
        }), (await read.GetJsonAsync("/api/v1/modules/Busy_M1")).GetProperty("dataQuality").ToString());
    }

    [Fact]
    public async Task A_large_chunked_batch_is_read_whole_and_every_reading_kept()
    {
        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var readings = Enumerable.Range(0, 3_000).Select(i => HeatingSequence.Normal($"Chunked_M{i % 30:00}", "RackChunked", start.AddSeconds(i / 30))).ToList();
        var body = JsonSerializer.Serialize(readings, SiloHost.Json);
        Assert.True(body.Length > 4 * 64 * 1024, "the body must outgrow the first buffer several times");

        using var response = await ingest.PostAsync("/api/v1/readings", new ChunkedContent(body, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3_000, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var history = await silo.ClientWithKey(SiloHost.ReadKey).GetJsonAsync($"/api/v1/modules/Chunked_M07/readings?from={from}");
        Assert.Equal(100, history.GetProperty("readings").GetArrayLength());
    }

    public void Dispose() => _data.Dispose();
}
