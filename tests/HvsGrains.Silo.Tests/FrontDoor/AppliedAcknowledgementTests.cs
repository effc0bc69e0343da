using System.Net;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// In a cluster a batch is acknowledged only once its modules have applied it (Hvs:Ingest:Dispatch:AcknowledgeWhenApplied,
/// on by default there): a gateway may send its next batch to another silo, and nothing may then overtake it.
/// </summary>
public sealed class AppliedAcknowledgementTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Every_acknowledged_batch_is_already_in_its_modules_state_and_a_batch_sent_again_is_not_counted_twice()
    {
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Ingest:Dispatch:AcknowledgeWhenApplied"] = "true" });
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var modules = Enumerable.Range(0, 20).Select(m => $"Applied_M{m:D2}").ToList();
        var start = DateTimeOffset.UtcNow.AddHours(-2);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        for (var batch = 0; batch < 5; batch++)
        {
            var at = start.AddSeconds(10 * batch);
            using var response = await ingest.PostReadingsAsync(modules.Select(m => HeatingSequence.Normal(m, "RackApplied", at, temperature: 27 + batch)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // No waiting: the acknowledgement itself says the modules have it.
            foreach (var module in modules)
            {
                var status = await read.GetJsonAsync($"/api/v1/modules/{module}");
                Assert.Equal(at, status.GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset());
                Assert.Equal(batch + 1, status.GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64());
            }
        }

        // A gateway that never heard the answer sends the last batch again: logged once, applied once, counted nowhere as new.
        var last = start.AddSeconds(40);
        using (var again = await ingest.PostReadingsAsync(modules.Select(m => HeatingSequence.Normal(m, "RackApplied", last, temperature: 31))))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            var body = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(0, body.GetProperty("accepted").GetInt32());
            Assert.Equal(modules.Count, body.GetProperty("duplicates").GetInt32());
        }

        foreach (var module in modules)
        {
            var quality = (await read.GetJsonAsync($"/api/v1/modules/{module}")).GetProperty("dataQuality");
            Assert.Equal(5, quality.GetProperty("appliedReadings").GetInt64());
            Assert.Equal(0, quality.GetProperty("duplicateReadings").GetInt64());
            Assert.Equal(0, quality.GetProperty("lateReadings").GetInt64());
        }
    }

    public void Dispose() => _data.Dispose();
}
