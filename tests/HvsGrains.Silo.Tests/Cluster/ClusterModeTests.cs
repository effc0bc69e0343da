using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Cluster;

/// <summary>
/// Two silo processes on one PostgreSQL (Hvs:Cluster:ConnectionString): one cluster, both front doors take readings,
/// readiness reports membership; while the database is away neither acknowledges readings, and both come back by themselves.
/// </summary>
public sealed class ClusterModeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private readonly DataFolder _first = new();
    private readonly DataFolder _second = new();

    [Fact]
    public async Task Two_silo_processes_form_one_cluster_and_refuse_readings_while_the_membership_table_is_away()
    {
        await using var database = await PostgresServer.StartNewAsync();
        await database.CreateDatabaseAsync("hvs");
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = database.ConnectionString("hvs"),
            ["Hvs:Orleans:AdvertisedAddress"] = "127.0.0.1",
            ["Hvs:Orleans:ClusterId"] = "cluster-mode-test",
            // Short, so the test waits seconds: the silo reads its row every second and gives up after three.
            ["Hvs:Cluster:MembershipCheckInterval"] = "00:00:01",
            ["Hvs:Cluster:MembershipLostAfter"] = "00:00:03",
        };
        using var first = SiloProcess.Start(_first.Path, settings);
        using var second = SiloProcess.Start(_second.Path, settings);
        Assert.True(await first.WaitReadyAsync(), first.RecentOutput);
        Assert.True(await second.WaitReadyAsync(), second.RecentOutput);

        Assert.Equal("2", (await database.QueryAsync("SELECT count(*) FROM hvs_membership WHERE cluster_id = 'cluster-mode-test' AND status = 3", "hvs")).Trim());
        Assert.Equal(("Healthy", "Healthy"), (await MembershipCheckAsync(first), await MembershipCheckAsync(second)));

        // Both front doors take readings, and each module's one activation answers from either silo.
        using var firstIngest = first.Client(SiloProcess.IngestKey);
        using var secondIngest = second.Client(SiloProcess.IngestKey);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(firstIngest, "m-first", 0)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(secondIngest, "m-second", 0)).StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () =>
            await AppliedReadingsAsync(second, "m-first") == 1 && await AppliedReadingsAsync(first, "m-second") == 1));

        await database.StopAsync();

        Assert.True(await Eventually.HoldsAsync(async () => await MembershipCheckAsync(first) == "Unhealthy" && await MembershipCheckAsync(second) == "Unhealthy"));
        using (var refused = await PostAsync(firstIngest, "m-first", 1))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("This silo is not a member of the cluster", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("None of this batch was taken", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        await database.StartAsync();

        Assert.True(await first.WaitReadyAsync(), first.RecentOutput);
        Assert.True(await second.WaitReadyAsync(), second.RecentOutput);
        Assert.Equal(("Healthy", "Healthy"), (await MembershipCheckAsync(first), await MembershipCheckAsync(second)));
        using var accepted = await PostAsync(secondIngest, "m-second", 1);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, $"{accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}{Environment.NewLine}{second.RecentOutput}");
    }

    [Fact]
    public async Task A_silo_the_membership_table_declares_dead_stops_taking_readings()
    {
        await using var database = await PostgresServer.StartNewAsync();
        await database.CreateDatabaseAsync("hvs");
        using var silo = SiloProcess.Start(_first.Path, new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = database.ConnectionString("hvs"),
            ["Hvs:Orleans:AdvertisedAddress"] = "127.0.0.1",
            ["Hvs:Cluster:MembershipCheckInterval"] = "00:00:01",
        });
        Assert.True(await silo.WaitReadyAsync(), silo.RecentOutput);
        using var ingest = silo.Client(SiloProcess.IngestKey);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ingest, "m-doomed", 0)).StatusCode);

        // What the other silos write when they vote a silo dead (SiloStatus.Dead is 6). Orleans' own table refresh
        // (every 60 s by default) then ends the process; the watch reads the row every second and refuses before that.
        await database.QueryAsync("UPDATE hvs_membership SET status = 6", "hvs");

        string? detail = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var response = await PostAsync(ingest, "m-doomed", 1);
            detail = response.StatusCode == HttpStatusCode.ServiceUnavailable ? await response.Content.ReadAsStringAsync() : null;
            return detail is not null;
        }));
        // Whichever notices first, the watch's read of the row or Orleans' own view of the local silo.
        Assert.Matches("The membership table says this silo is Dead|This silo is Dead in the cluster", detail);
    }

    private static async Task<string?> MembershipCheckAsync(SiloProcess silo)
    {
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync("/health/ready");
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return report.RootElement.GetProperty("checks").GetProperty(ClusterMembershipAdmission.HealthCheckName).GetProperty("status").GetString();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient ingest, string moduleId, int index) =>
        ingest.PostAsJsonAsync("/api/v1/readings", new[]
        {
            new GatewayReading(moduleId, "Rack-cluster", Start.AddSeconds(10 * index), 51.2, 12, 60, 26, 27, 23, 2, 1, 0.5),
        });

    private static async Task<int> AppliedReadingsAsync(SiloProcess silo, string moduleId)
    {
        using var read = silo.Client(SiloProcess.ReadKey);
        using var response = await read.GetAsync($"/api/v1/modules/{moduleId}");
        if (!response.IsSuccessStatusCode)
        {
            return -1;
        }

        using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return status.RootElement.GetProperty("dataQuality").GetProperty("appliedReadings").GetInt32();
    }

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
    }
}
