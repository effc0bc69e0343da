using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace HvsGrains.Silo.Tests.Cluster;

/// <summary>
/// Three silo processes on one real PostgreSQL, gateways posting round-robin to every front door, one silo killed
/// with SIGKILL mid-feed; and PostgreSQL itself stopped for a few seconds. Afterwards every acknowledged reading is
/// in its module's history once and applied once, in order, in the state its module serves.
/// </summary>
public sealed class ClusterKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Gateways = 4;
    private const int ModulesPerGateway = 25;
    private const int ReadingsPerModule = 10;
    private const int BatchesPerGateway = 24;
    private readonly List<string> _folders = [];
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync() => _postgres = await PostgresServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task After_kill_minus_9_of_one_silo_every_acknowledged_reading_is_in_history_and_applied_once_in_order()
    {
        var silos = await StartClusterAsync("kill", 3);
        try
        {
            var feed = NewFeed("Kill");
            var doors = silos.Select(s => s.Client(SiloProcess.IngestKey)).ToList();
            var sending = feed.RunRoundRobinAsync(doors, BatchesPerGateway, giveUpAfter: TimeSpan.FromMinutes(2));
            const long KillAfter = Gateways * ModulesPerGateway * ReadingsPerModule * BatchesPerGateway / 3;
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(feed.AcknowledgedReadings >= KillAfter || sending.IsCompleted), attempts: 12_000));
            Assert.False(sending.IsCompleted, "the feed ended before the kill");
            silos[2].Kill();
            await sending;

            output.WriteLine($"{feed.AcknowledgedReadings} readings acknowledged, {feed.RedirectedBatches} batches sent to another front door");
            Assert.Equal(0, feed.UnansweredBatches);
            await AssertEveryAcknowledgedReadingAccountedForAsync(silos[0], feed);
        }
        finally
        {
            silos.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task PostgreSQL_gone_for_seconds_refuses_readings_instead_of_losing_them_and_the_cluster_recovers_by_itself()
    {
        var silos = await StartClusterAsync("database", 2);
        try
        {
            var feed = NewFeed("Database");
            var doors = silos.Select(s => s.Client(SiloProcess.IngestKey)).ToList();
            var sending = feed.RunRoundRobinAsync(doors, BatchesPerGateway, giveUpAfter: TimeSpan.FromMinutes(3));
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(feed.AcknowledgedReadings > 5_000 || sending.IsCompleted), attempts: 12_000));
            Assert.False(sending.IsCompleted, "the feed ended before the database went away");

            await _postgres.StopAsync();
            var acknowledgedWhenStopped = feed.AcknowledgedReadings;
            using var health = new HttpClient { BaseAddress = silos[0].BaseAddress };
            Assert.True(await Eventually.HoldsAsync(async () => !(await health.GetAsync("/health/ready")).IsSuccessStatusCode), "readiness did not notice the database was gone");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var acknowledgedWhileStopped = feed.AcknowledgedReadings - acknowledgedWhenStopped;
            await _postgres.StartAsync();

            await sending;
            output.WriteLine($"{feed.AcknowledgedReadings} readings acknowledged, {acknowledgedWhileStopped} while the database was down, {feed.RedirectedBatches} batches redirected");
            Assert.Equal(0, feed.UnansweredBatches);
            foreach (var silo in silos)
            {
                Assert.True(await silo.WaitReadyAsync(), "a silo did not become ready again: " + silo.RecentOutput);
            }

            await AssertEveryAcknowledgedReadingAccountedForAsync(silos[1], feed);
        }
        finally
        {
            silos.ForEach(s => s.Dispose());
        }
    }

    private GatewayFeed NewFeed(string prefix)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        return new GatewayFeed(Gateways, ModulesPerGateway, ReadingsPerModule, start, prefix);
    }

    private async Task<List<SiloProcess>> StartClusterAsync(string name, int count)
    {
        await _postgres.CreateDatabaseAsync(name);
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = _postgres.ConnectionString(name),
            ["Hvs:Orleans:ClusterId"] = name,
            ["Hvs:Modules:SnapshotInterval"] = "00:00:02",
        };
        var silos = new List<SiloProcess>();
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(Path.GetTempPath(), "hvs-cluster-tests", Guid.NewGuid().ToString("N"));
            _folders.Add(folder);
            silos.Add(SiloProcess.Start(folder, settings));
        }

        foreach (var silo in silos)
        {
            Assert.True(await silo.WaitReadyAsync(), "a silo did not become ready: " + silo.RecentOutput);
        }

        return silos;
    }

    private static async Task AssertEveryAcknowledgedReadingAccountedForAsync(SiloProcess silo, GatewayFeed feed)
    {
        using var read = silo.Client(SiloProcess.ReadKey);
        foreach (var module in feed.Modules)
        {
            var acknowledged = feed.AcknowledgedOf(module);
            var status = await GetAsync(read, silo, $"/api/v1/modules/{module}");
            var from = Uri.EscapeDataString(acknowledged[0].Timestamp.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
            var history = await GetAsync(read, silo, $"/api/v1/modules/{module}/readings?from={from}&limit=10000");
            var logged = history.GetProperty("readings").EnumerateArray().Select(r => r.GetProperty("reading").GetProperty("timestamp").GetDateTimeOffset()).ToList();
            Assert.Equal(acknowledged.Select(r => r.Timestamp), logged);

            var quality = status.GetProperty("dataQuality");
            Assert.Equal(acknowledged[^1].Timestamp, status.GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset());
            Assert.True(acknowledged.Count == quality.GetProperty("appliedReadings").GetInt64(), $"{module}: {quality}");
            Assert.Equal(0, quality.GetProperty("lateReadings").GetInt64());
        }
    }

    private static async Task<JsonElement> GetAsync(HttpClient read, SiloProcess silo, string path)
    {
        using var response = await read.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}{Environment.NewLine}{silo.RecentOutput}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
