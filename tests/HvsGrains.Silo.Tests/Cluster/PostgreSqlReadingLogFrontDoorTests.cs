using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Cluster;

/// <summary>
/// A silo process whose readings log is in PostgreSQL (Hvs:Cluster:ConnectionString): the front door refuses readings
/// with 503 and Retry-After while the database is away, readiness says so, and both come back by themselves.
/// </summary>
public sealed class PostgreSqlReadingLogFrontDoorTests : IDisposable
{
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task While_the_database_is_away_readings_are_refused_with_503_and_readiness_fails_until_it_returns()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await pg.CreateDatabaseAsync("cluster");
        using var silo = SiloProcess.Start(Path.Combine(_folder.Path, "data"), new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = pg.ConnectionString("cluster"),
            ["Hvs:Ingest:RetryAfterSeconds"] = "3",
        });
        Assert.True(await silo.WaitReadyAsync(), "the silo did not become ready: " + silo.RecentOutput);
        using var ingest = silo.Client(SiloProcess.IngestKey);
        using var probe = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var first = Batch(start, 0);
        var second = Batch(start, 1);

        using var before = await ingest.PostAsJsonAsync("/api/v1/readings", first);
        var acceptedBefore = (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
        await pg.StopAsync();
        using var refused = await ingest.PostAsJsonAsync("/api/v1/readings", second);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var unreadyWhileAway = await Eventually.HoldsAsync(async () => await ReadingsLogStatusAsync(probe) == (HttpStatusCode.ServiceUnavailable, "Unhealthy"), attempts: 1_000);
        await pg.StartAsync();
        var readyAgain = await Eventually.HoldsAsync(async () => await ReadingsLogStatusAsync(probe) == (HttpStatusCode.OK, "Healthy"), attempts: 3_000);
        using var after = await ingest.PostAsJsonAsync("/api/v1/readings", second);
        var afterBody = await after.Content.ReadAsStringAsync();
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"{after.StatusCode}: {afterBody}{Environment.NewLine}{silo.RecentOutput}");
        var acceptedAfter = JsonDocument.Parse(afterBody).RootElement.GetProperty("accepted").GetInt32();

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(first.Count, acceptedBefore);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Contains("none of this batch was acknowledged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(unreadyWhileAway, "readiness did not fail while the database was away: " + silo.RecentOutput);
        Assert.True(readyAgain, "readiness did not come back with the database: " + silo.RecentOutput);
        Assert.Equal(second.Count, acceptedAfter);
        Assert.Equal(first.Count + second.Count, int.Parse((await pg.QueryAsync("SELECT count(*) FROM hvs_readings", "cluster")).Trim(), CultureInfo.InvariantCulture));
    }

    public void Dispose() => _folder.Dispose();

    private static List<SensorReading> Batch(DateTimeOffset start, int number) => [.. Enumerable.Range(0, 40).Select(i => new SensorReading(
        $"RackP1_Module{(i % 4) + 1:D2}", "RackP1", start.AddSeconds((number * 10) + (i / 4)),
        VoltageV: 51.2, CurrentA: 10, SocPercent: 60, AvgSurfaceTempC: 25, MaxSurfaceTempC: 26, AmbientTempC: 22, CoPpm: 1, H2Ppm: 0.5, VocPpm: 0.2))];

    private static async Task<(HttpStatusCode, string?)> ReadingsLogStatusAsync(HttpClient probe)
    {
        using var response = await probe.GetAsync("/health/ready");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, report.GetProperty("checks").GetProperty("readings-log").GetProperty("status").GetString());
    }
}
