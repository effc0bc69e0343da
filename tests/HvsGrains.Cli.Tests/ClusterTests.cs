namespace HvsGrains.Cli.Tests;

/// <summary>`hvs cluster` and how the tool finds (or fails to find) the cluster's gateways.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class ClusterTests(CliSilo cluster)
{
    [Fact]
    public async Task Cluster_lists_the_active_silo_with_its_activations()
    {
        var json = await cluster.HvsAsync("cluster", "--json");

        Assert.True(json.ExitCode == ExitCodes.Ok, json.ToString());
        var silo = Assert.Single(json.Json.EnumerateArray());
        Assert.Equal("Active", silo.GetProperty("status").GetString());
        Assert.True(silo.GetProperty("activations").GetInt32() > 0);
        var table = await cluster.HvsAsync("cluster");
        Assert.Matches(@"(?m)^SILO\s+ADDRESS\s+HOST\s+STATUS\s+STARTED\s+ACTIVATIONS\s+MODULES\s+RACKS$", table.Output);
        Assert.Matches(@"(?m)\s+Active\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+[1-9]\d*\s", table.Output);
    }

    [Fact]
    public async Task Modules_and_racks_are_counted_on_the_silo_that_holds_them()
    {
        await cluster.PostReadingsAsync([HeatingSequence.Normal("CliCount_Module01", "CliCount", DateTimeOffset.UtcNow.AddMinutes(-1))]);
        Assert.True(await Eventually.HoldsAsync(async () => (await cluster.HvsAsync("status", "--rack", "CliCount")).ExitCode == ExitCodes.Ok));

        var silo = Assert.Single((await cluster.HvsAsync("cluster", "--json")).Json.EnumerateArray());

        Assert.True(silo.GetProperty("modules").GetInt32() >= 1, silo.ToString());
        Assert.True(silo.GetProperty("racks").GetInt32() >= 1, silo.ToString());
    }

    [Fact]
    public async Task With_no_gateway_answering_the_tool_says_so_in_one_line_and_exits_unreachable()
    {
        var nobody = FreeTcpPorts.Next(1)[0];

        var run = await HvsRun.RunAsync("status", "--gateway", $"127.0.0.1:{nobody}", "--connect-timeout", "2");

        Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
        Assert.StartsWith($"hvs: No cluster answers at 127.0.0.1:{nobody} (cluster 'hvsgrains', service 'hvsgrains')", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Gateways_come_from_HVS_GATEWAYS_when_no_option_names_them()
    {
        var before = Environment.GetEnvironmentVariable("HVS_GATEWAYS");
        Environment.SetEnvironmentVariable("HVS_GATEWAYS", $"{cluster.Gateway}");
        try
        {
            var run = await HvsRun.RunAsync("cluster", "--json");

            Assert.True(run.ExitCode == ExitCodes.Ok, run.ToString());
            Assert.Equal("Active", Assert.Single(run.Json.EnumerateArray()).GetProperty("status").GetString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("HVS_GATEWAYS", before);
        }
    }
}
