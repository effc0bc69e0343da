using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Cli.Tests;

/// <summary>
/// The tool against a cluster of two silo processes on a real PostgreSQL: it sees both silos through either gateway,
/// reads and acknowledges what the other silo's front door took in, and carries on when one silo is killed.
/// </summary>
public sealed class ClusterOfSilosTests : IAsyncLifetime
{
    private const string ClusterId = "hvs-cli-cluster";
    private readonly List<string> _folders = [];
    private readonly List<SiloProcess> _silos = [];
    private PostgresServer? _postgres;

    private SiloProcess First => _silos[0];

    private SiloProcess Second => _silos[1];

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartNewAsync();
        await _postgres.CreateDatabaseAsync("hvs_cli_cluster");
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = _postgres.ConnectionString("hvs_cli_cluster"),
            ["Hvs:Orleans:ClusterId"] = ClusterId,
        };
        for (var i = 0; i < 2; i++)
        {
            var folder = Directory.CreateTempSubdirectory("hvs-cli-cluster-").FullName;
            _folders.Add(folder);
            _silos.Add(SiloProcess.Start(folder, settings));
        }

        foreach (var silo in _silos)
        {
            Assert.True(await silo.WaitReadyAsync(), $"a silo did not become ready:{Environment.NewLine}{silo.RecentOutput}");
        }
    }

    [Fact]
    public async Task Either_gateway_shows_both_silos_and_the_site_and_an_alarm_taken_in_at_one_is_acknowledged_through_the_other()
    {
        var cluster = await HvsAsync(First, "cluster", "--json");
        Assert.True(cluster.ExitCode == ExitCodes.Ok, cluster.ToString());
        Assert.Equal(2, cluster.Json.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));
        // No gateway named: the tool finds the live ones in the cluster's membership table.
        var fromDatabase = await HvsRun.RunAsync("cluster", "--json", "--database", _postgres!.ConnectionString("hvs_cli_cluster"), "--cluster-id", ClusterId);
        Assert.True(fromDatabase.ExitCode == ExitCodes.Ok, fromDatabase.ToString());
        Assert.Equal(2, fromDatabase.Json.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));

        await PostHotModuleAsync(Second, "CliCluster", DateTimeOffset.UtcNow.AddMinutes(-5));
        JsonElement alarm = default;
        HvsRun? alarms = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            alarms = await HvsAsync(First, "alarms", "--json");
            alarm = alarms.ExitCode == ExitCodes.Ok
                ? alarms.Json.EnumerateArray().FirstOrDefault(a => a.GetProperty("moduleId").GetString() == "CliCluster_Module01")
                : default;
            return alarm.ValueKind == JsonValueKind.Object;
        }, attempts: 60), $"the alarm raised through the second silo's front door was not listed through the first silo's gateway: {alarms}; {await HvsAsync(First, "status", "--rack", "CliCluster", "--json")}");
        var module = await HvsAsync(First, "status", "--module", "CliCluster_Module01", "--json");
        Assert.True(module.ExitCode == ExitCodes.Ok, module.ToString());
        Assert.Equal("Critical", module.Json.GetProperty("level").GetString());

        var alarmId = alarm.GetProperty("id").GetString()!;
        var ack = await HvsAsync(Second, "ack", alarmId, "--by", "Ada Lovelace");
        Assert.True(ack.ExitCode == ExitCodes.Ok, ack.ToString());
        var after = (await HvsAsync(First, "alarms", "--json")).Json.EnumerateArray().Single(a => a.GetProperty("id").GetString() == alarmId);
        Assert.Equal("Acknowledged", after.GetProperty("state").GetString());
        Assert.Equal("Ada Lovelace", after.GetProperty("acknowledgedBy").GetString());
    }

    [Fact]
    public async Task When_a_silo_is_killed_the_tool_reports_it_and_still_answers_for_its_modules_through_the_survivor()
    {
        await PostHotModuleAsync(Second, "CliKilled", DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.True(await Eventually.HoldsAsync(async () => (await HvsAsync(First, "status", "--module", "CliKilled_Module01")).ExitCode == ExitCodes.Ok));

        Second.Kill();

        // Membership declares the silo dead after missed probes (tens of seconds); until then calls to its grains may time out.
        var declaredDead = false;
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !declaredDead && waited.Elapsed < TimeSpan.FromMinutes(3); await Task.Delay(1000))
        {
            var silos = await HvsAsync(First, "cluster", "--json");
            declaredDead = silos.ExitCode == ExitCodes.Ok
                && silos.Json.EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active") == 1;
        }

        Assert.True(declaredDead, "the killed silo was still listed as active after 3 minutes");
        var module = await HvsAsync(First, "status", "--module", "CliKilled_Module01", "--json");
        Assert.True(module.ExitCode == ExitCodes.Ok, module.ToString());
        Assert.Equal("Critical", module.Json.GetProperty("level").GetString());
        var table = await HvsAsync(First, "cluster");
        Assert.Matches(@"(?m)\s+Dead\s", table.Output);
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            silo.Dispose();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Task<HvsRun> HvsAsync(SiloProcess gateway, params string[] args) =>
        HvsRun.RunAsync([.. args, "--gateway", $"127.0.0.1:{gateway.GatewayPort}", "--cluster-id", ClusterId]);

    /// <summary>Hot for 40 s of sensor time beside a cool peer: the rack raises its event's alarm once the rise held 30 s.</summary>
    private static async Task PostHotModuleAsync(SiloProcess frontDoor, string rack, DateTimeOffset at)
    {
        using var http = frontDoor.Client(SiloProcess.IngestKey);
        using var response = await http.PostAsJsonAsync("/api/v1/readings", Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            HeatingSequence.Normal($"{rack}_Module01", rack, at.AddSeconds(10 * i), temperature: 150),
            HeatingSequence.Normal($"{rack}_Module02", rack, at.AddSeconds(10 * i), temperature: 27),
        }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
