using System.Text.Json;

namespace HvsGrains.Cli.Tests;

/// <summary>`hvs status`, `hvs alarms` and `hvs ack` against a running silo: tables, --json and the exit codes.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class StatusAndAlarmTests(CliSilo cluster)
{
    [Fact]
    public async Task A_hot_module_shows_in_site_rack_and_module_status_and_its_alarm_is_acknowledged_by_name()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        // Hot for 40 s of sensor time: a rack raises its event's alarm once the rise has held 30 s.
        await cluster.PostReadingsAsync([.. Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            HeatingSequence.Normal("CliHot_Module01", "CliHot", at.AddSeconds(10 * i), temperature: 150),
            HeatingSequence.Normal("CliHot_Module02", "CliHot", at.AddSeconds(10 * i), temperature: 27),
        })]);
        JsonElement alarm = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var alarms = await cluster.HvsAsync("alarms", "--json");
            Assert.Equal(ExitCodes.Ok, alarms.ExitCode);
            alarm = alarms.Json.EnumerateArray().FirstOrDefault(a => a.GetProperty("moduleId").GetString() == "CliHot_Module01");
            return alarm.ValueKind == JsonValueKind.Object;
        }), "no alarm was raised for the hot module");
        Assert.Equal("Open", alarm.GetProperty("state").GetString());
        var alarmId = alarm.GetProperty("id").GetString()!;

        var site = await cluster.HvsAsync("status", "--json");
        Assert.Equal(ExitCodes.Ok, site.ExitCode);
        Assert.Equal("Critical", site.Json.GetProperty("level").GetString());
        Assert.Contains(site.Json.GetProperty("racks").EnumerateArray(), r => r.GetProperty("rackId").GetString() == "CliHot");
        var siteTable = await cluster.HvsAsync("status");
        Assert.Matches(@"(?m)^Level:\s+Critical$", siteTable.Output);
        Assert.Matches(@"(?m)^CliHot\s+Critical\s+2\s+CliHot_Module01\s+150\b", siteTable.Output);

        var rack = await cluster.HvsAsync("status", "--rack", "CliHot");
        Assert.Equal(ExitCodes.Ok, rack.ExitCode);
        Assert.Matches(@"(?m)^CliHot_Module01\s+Critical\s+150\b", rack.Output);

        var module = await cluster.HvsAsync("status", "--module", "CliHot_Module01", "--json");
        Assert.Equal(ExitCodes.Ok, module.ExitCode);
        Assert.Equal("Critical", module.Json.GetProperty("level").GetString());
        Assert.Equal(150, module.Json.GetProperty("latestReading").GetProperty("maxSurfaceTempC").GetDouble());

        var ack = await cluster.HvsAsync("ack", alarmId, "--by", "Ada Lovelace");
        Assert.Equal(ExitCodes.Ok, ack.ExitCode);
        Assert.StartsWith($"{alarmId} acknowledged by Ada Lovelace at ", ack.Output, StringComparison.Ordinal);
        var again = await cluster.HvsAsync("ack", alarmId, "--by", "Grace Hopper");
        Assert.Equal(ExitCodes.Ok, again.ExitCode);
        Assert.Contains("already acknowledged by Ada Lovelace", again.Output, StringComparison.Ordinal);

        var after = (await cluster.HvsAsync("alarms", "--json")).Json.EnumerateArray().Single(a => a.GetProperty("id").GetString() == alarmId);
        Assert.Equal("Acknowledged", after.GetProperty("state").GetString());
        Assert.Equal("Ada Lovelace", after.GetProperty("acknowledgedBy").GetString());
        var table = await cluster.HvsAsync("alarms");
        Assert.Matches($@"(?m)^{alarmId}\s+Acknowledged\s+Critical\b.*\bAda Lovelace\b", table.Output);
    }

    [Fact]
    public async Task Unknown_racks_modules_and_alarms_end_with_not_found_and_one_line_saying_which()
    {
        foreach (var args in new[] { new[] { "status", "--module", "CliNobody_Module01" }, ["status", "--rack", "CliNobody"], ["ack", "ALM-999999", "--by", "Ada"] })
        {
            var run = await cluster.HvsAsync(args);
            Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
            Assert.Single(run.Error.TrimEnd().Split('\n'));
            Assert.Contains(args[^1] == "Ada" ? "ALM-999999" : args[^1], run.Error, StringComparison.Ordinal);
            Assert.Equal("", run.Output);
        }
    }

    [Theory]
    [InlineData("status", "--rack", "A", "--module", "B")]
    [InlineData("ack", "ALM-000001")]
    [InlineData("status", "--bogus")]
    [InlineData("status", "--gateway", "no-port-here")]
    [InlineData("ack", "ALM-000001", "--by", " ")]
    public async Task Invalid_input_ends_with_its_own_exit_code(params string[] args)
    {
        var run = await cluster.HvsAsync(args);

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.StartsWith("hvs: ", run.Error, StringComparison.Ordinal);
    }
}
