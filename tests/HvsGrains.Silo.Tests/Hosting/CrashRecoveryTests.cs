using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Tests.FrontDoor;
using Xunit.Abstractions;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>
/// Fault injection: the silo as a process of its own is killed (SIGKILL) while several gateways send, and
/// restarted on the same data folder. As soon as it is ready, every acknowledged reading must be in its
/// module's history and applied exactly once, in time order, in the state the module serves at its first answer.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Gateways = 4;
    private const int ModulesPerGateway = 25;
    private const int ReadingsPerModule = 20;
    private const int BatchesPerGateway = 60;
    private const long KillAfterReadings = 40_000;
    private readonly DataFolder _folder = new();

    /// <summary>Snapshots every second, so a restart starts from snapshots and replays only what they miss.</summary>
    private readonly Dictionary<string, string> _settings = new() { ["Hvs:Modules:SnapshotInterval"] = "00:00:01" };

    [Fact]
    public async Task After_kill_minus_9_under_ingest_every_acknowledged_reading_is_in_history_and_applied_once_in_order()
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var feed = new GatewayFeed(Gateways, ModulesPerGateway, ReadingsPerModule, start, "Crash");
        var data = Path.Combine(_folder.Path, "data");

        using (var first = SiloProcess.Start(data, _settings))
        {
            Assert.True(await first.WaitReadyAsync(), "the first silo did not become ready: " + first.RecentOutput);
            using var ingest = first.Client(SiloProcess.IngestKey);
            var sending = feed.RunAsync(ingest, BatchesPerGateway);
            var killedWhileSending = await Eventually.HoldsAsync(() => Task.FromResult(feed.AcknowledgedReadings >= KillAfterReadings || sending.IsCompleted), attempts: 12_000)
                && !sending.IsCompleted;
            first.Kill();
            await sending;
            Assert.True(killedWhileSending, $"the gateways had stopped before the kill ({feed.AcknowledgedReadings} readings acknowledged)");
        }

        output.WriteLine($"killed after {feed.AcknowledgedReadings} acknowledged readings; {feed.UnansweredBatches} batches unanswered");
        using var second = SiloProcess.Start(data, _settings);
        Assert.True(await second.WaitReadyAsync(), "the restarted silo did not become ready: " + second.RecentOutput);
        using var read = second.Client(SiloProcess.ReadKey);
        foreach (var module in feed.Modules)
        {
            // The module's state first: its activation replays the log, which must have recovered by now.
            var status = await read.GetFromJsonAsync<JsonElement>($"/api/v1/modules/{module}");
            var history = await HistoryAsync(read, module, start);
            var acknowledged = feed.AcknowledgedOf(module);
            var unanswered = feed.UnansweredOf(module);
            Assert.NotEmpty(acknowledged);

            // Every acknowledged reading is there; the batch in flight at the kill is there whole or not at all.
            var logged = history.Count == acknowledged.Count ? acknowledged : [.. acknowledged, .. unanswered];
            Assert.Equal(logged.Select(r => r.Timestamp), history);
            AssertAppliedOnceInOrder(logged, status);
        }

        using (var ingest = second.Client(SiloProcess.IngestKey))
        {
            // A gateway sends what was never answered again; what the log already held comes back as duplicates.
            Assert.True(await feed.ResendUnansweredAsync(ingest), "a batch sent again was not acknowledged");
        }

        foreach (var module in feed.Modules)
        {
            var acknowledged = feed.AcknowledgedOf(module);
            Assert.True(
                await Eventually.HoldsAsync(async () => LatestOf(await read.GetFromJsonAsync<JsonElement>($"/api/v1/modules/{module}")) == acknowledged[^1].Timestamp),
                $"{module} did not apply the batch sent again");
            AssertAppliedOnceInOrder(acknowledged, await read.GetFromJsonAsync<JsonElement>($"/api/v1/modules/{module}"));
        }

        output.WriteLine(second.RecentOutput);
    }

    public void Dispose() => _folder.Dispose();

    private static DateTimeOffset LatestOf(JsonElement status) => status.GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset();

    /// <summary>The served state is that of exactly these readings, each applied once, oldest first.</summary>
    private static void AssertAppliedOnceInOrder(IReadOnlyList<GatewayReading> logged, JsonElement status)
    {
        var quality = status.GetProperty("dataQuality");
        Assert.Equal(logged[^1].Timestamp, LatestOf(status));
        Assert.Equal(logged.Count, quality.GetProperty("appliedReadings").GetInt64());
        Assert.Equal(0, quality.GetProperty("lateReadings").GetInt64());
        Assert.Equal(0, quality.GetProperty("duplicateReadings").GetInt64());
        AssertWindowsAsIfAppliedOnceInOrder(logged, status.GetProperty("features"));
    }

    private static async Task<List<DateTimeOffset>> HistoryAsync(HttpClient read, string module, DateTimeOffset start)
    {
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var to = Uri.EscapeDataString(start.AddDays(1).ToString("O"));
        var history = await read.GetFromJsonAsync<JsonElement>($"/api/v1/modules/{module}/readings?from={from}&to={to}&limit=10000");
        return [.. history.GetProperty("readings").EnumerateArray().Select(r => r.GetProperty("reading").GetProperty("timestamp").GetDateTimeOffset())];
    }

    /// <summary>The module's features equal those of the same readings applied offline, each once, oldest first.</summary>
    private static void AssertWindowsAsIfAppliedOnceInOrder(IReadOnlyList<GatewayReading> acknowledged, JsonElement served)
    {
        var offline = new ModuleFeatureState(acknowledged[0].ModuleId);
        foreach (var r in acknowledged)
        {
            Assert.Equal(ApplyOutcome.Applied, offline.Apply(new SensorReading(
                r.ModuleId, r.RackId, r.Timestamp, r.VoltageV, r.CurrentA, r.SocPercent, r.AvgSurfaceTempC, r.MaxSurfaceTempC, r.AmbientTempC, r.CoPpm, r.H2Ppm, r.VocPpm)));
        }

        var expected = offline.Current!;
        for (var i = 0; i < FeatureVector.FeatureNames.Count; i++)
        {
            var name = FeatureVector.FeatureNames[i];
            var value = served.GetProperty(name).GetSingle();
            Assert.True(Math.Abs(value - expected[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{acknowledged[0].ModuleId} {name}: served {value}, expected {expected[i]}");
        }
    }
}
