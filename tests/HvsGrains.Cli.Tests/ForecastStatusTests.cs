using System.Text.Json;

namespace HvsGrains.Cli.Tests;

/// <summary>`hvs status --module` shows the max-surface forecast and the time to the rule's thresholds, as a table and in --json.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class ForecastStatusTests(CliSilo cluster)
{
    [Fact]
    public async Task A_heating_modules_status_shows_its_forecast_and_the_expected_time_to_Warning()
    {
        const string module = "CliWarm_Module01";
        var start = DateTimeOffset.UtcNow.AddMinutes(-15);
        // 12 minutes rising 1.5 °C a minute from 35 °C: Watch (55) is some minutes away, Warning (80) further.
        await cluster.PostReadingsAsync(Enumerable.Range(0, 73).Select(i => HeatingSequence.Normal(module, "CliWarm", start.AddSeconds(10 * i), temperature: 35 + (1.5 * i / 6.0))));
        JsonElement status = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var run = await cluster.HvsAsync("status", "--module", module, "--json");
            status = run.Json;
            return run.ExitCode == ExitCodes.Ok && status.GetProperty("dataQuality").GetProperty("appliedReadings").GetInt32() == 73;
        }), "the module did not apply its readings");

        var forecast = status.GetProperty("forecast");
        Assert.Equal("Rising", forecast.GetProperty("trend").GetString());
        var points = forecast.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([5, 10, 15, 20, 25, 30], points.Select(p => p.GetProperty("minutes").GetInt32()));
        Assert.True(points[^1].GetProperty("expectedC").GetDouble() > points[0].GetProperty("expectedC").GetDouble());
        var warning = status.GetProperty("timeToThresholds").EnumerateArray().Single(t => t.GetProperty("level").GetString() == "Warning");
        Assert.Equal("MaxSurfaceTempC", warning.GetProperty("rule").GetString());
        var minutes = warning.GetProperty("minutes").GetDouble();
        Assert.InRange(minutes, 15, 90);

        var table = await cluster.HvsAsync("status", "--module", module);
        Assert.Equal(ExitCodes.Ok, table.ExitCode);
        Assert.Matches(@"(?m)^Forecast of max surface: Rising, \d+\.\d °C now, \+1\.\d\d °C/min", table.Output);
        Assert.Matches(@"(?m)^30 min\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+(\.\d+)?\s+\d+(\.\d+)?\s+\d+(\.\d+)?\s*$", table.Output);
        Assert.Matches(@"(?m)^MaxSurfaceTempC Warning\s+80\s+\d+\.\d min\s+\d+\.\d min\s*$", table.Output);
    }
}
