using System.Net;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// Readings reach their module in the order the log committed them, even when many requests for the same
/// modules are answered at once: a reading newer than everything committed before it is never dropped as late.
/// </summary>
public sealed class DispatchOrderTests : IDisposable
{
    private const int Senders = 16;
    private const int Rounds = 20;
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Concurrent_batches_for_the_same_modules_are_applied_in_commit_order()
    {
        // All senders at once: none waits in (or is shed by) the ingest limit.
        await using var silo = new SiloHost(_data.Path, new()
        {
            ["Hvs:Ingest:MaxConcurrentRequests"] = Senders.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var modules = Enumerable.Range(0, 10).Select(m => $"Order_M{m}").ToList();
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        // Active first: an activation replays what is logged in time order, and this test is about live dispatch.
        using (var first = await ingest.PostReadingsAsync(modules.Select(m => HeatingSequence.Normal(m, "RackOrder", start))))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        foreach (var module in modules)
        {
            Assert.True(await Eventually.HoldsAsync(async () => (await QualityAsync(read, module)).Applied == 1), module);
        }

        // Each round every sender posts one reading per module in a time slot of its own; the senders run side by
        // side, so their batches share commits and are answered together.
        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                var at = start.AddSeconds(10 * (1 + (round * Senders) + sender));
                using var response = await ingest.PostReadingsAsync(modules.Select(m => HeatingSequence.Normal(m, "RackOrder", at, temperature: 27 + (round % 5))));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));
        await Task.WhenAll(senders);

        const int Total = 1 + (Senders * Rounds);
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        foreach (var module in modules)
        {
            var history = (await read.GetJsonAsync($"/api/v1/modules/{module}/readings?from={from}")).GetProperty("readings").EnumerateArray()
                .Select(r => (Sequence: r.GetProperty("sequence").GetInt64(), Timestamp: r.GetProperty("reading").GetProperty("timestamp").GetDateTimeOffset()))
                .OrderBy(r => r.Sequence)
                .ToList();
            Assert.Equal(Total, history.Count);

            // In commit order a reading is late only when one committed before it is newer.
            var lateAtCommit = 0;
            var newest = DateTimeOffset.MinValue;
            foreach (var (_, timestamp) in history)
            {
                lateAtCommit += timestamp < newest ? 1 : 0;
                newest = timestamp > newest ? timestamp : newest;
            }

            Assert.True(await Eventually.HoldsAsync(async () => (await QualityAsync(read, module)) is var q && q.Applied + q.Late == Total, attempts: 1000), module);
            var (applied, late) = await QualityAsync(read, module);
            var status = await read.GetJsonAsync($"/api/v1/modules/{module}");
            Assert.True(late == lateAtCommit, $"{module}: {late} dropped as late, {lateAtCommit} were late when committed");
            Assert.Equal(Total - lateAtCommit, applied);
            Assert.Equal(newest, status.GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset());
        }
    }

    public void Dispose() => _data.Dispose();

    private static async Task<(long Applied, long Late)> QualityAsync(HttpClient read, string module)
    {
        using var response = await read.GetAsync($"/api/v1/modules/{module}");
        if (!response.IsSuccessStatusCode)
        {
            return (0, 0);
        }

        var quality = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("dataQuality");
        return (quality.GetProperty("appliedReadings").GetInt64(), quality.GetProperty("lateReadings").GetInt64());
    }
}
