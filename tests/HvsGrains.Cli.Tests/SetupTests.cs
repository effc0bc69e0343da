using System.Globalization;
using HvsGrains.Grains.Cluster;

namespace HvsGrains.Cli.Tests;

/// <summary>`hvs setup` against a real PostgreSQL: creates the schema once, then has nothing to do.</summary>
public sealed class SetupTests
{
    [Fact]
    public async Task Setup_creates_the_schema_and_a_second_run_has_nothing_to_do()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await pg.CreateDatabaseAsync("hvs_cli");
        var database = pg.ConnectionString("hvs_cli");

        var first = await HvsRun.RunAsync("setup", "--database", database, "--json");
        var second = await HvsRun.RunAsync("setup", "--database", database);

        Assert.True(first.ExitCode == ExitCodes.Ok, first.ToString());
        Assert.Equal(PostgreSqlSchema.CurrentVersion, first.Json.GetProperty("version").GetInt32());
        Assert.Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion), first.Json.GetProperty("applied").EnumerateArray().Select(v => v.GetInt32()));
        Assert.True(second.ExitCode == ExitCodes.Ok, second.ToString());
        Assert.Equal($"Schema version {PostgreSqlSchema.CurrentVersion}: already current, nothing to do.", second.Output.TrimEnd());
        var stored = await pg.QueryAsync("SELECT max(version) FROM hvs_schema_version", "hvs_cli");
        Assert.Equal(PostgreSqlSchema.CurrentVersion, int.Parse(stored.Trim(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_database_nobody_serves_is_unreachable_and_a_malformed_connection_string_is_invalid()
    {
        var nobody = await HvsRun.RunAsync("setup", "--database", $"Host=127.0.0.1;Port={FreeTcpPorts.Next(1)[0]};Username=hvs", "--connect-timeout", "2");
        var malformed = await HvsRun.RunAsync("setup", "--database", "Host=127.0.0.1;Bogus Key=1");

        Assert.True(nobody.ExitCode == ExitCodes.Unreachable, nobody.ToString());
        Assert.StartsWith("hvs: The database does not answer: ", nobody.Error, StringComparison.Ordinal);
        Assert.True(malformed.ExitCode == ExitCodes.InvalidInput, malformed.ToString());
    }

    [Fact]
    public async Task Without_a_database_setup_says_which_option_it_needs_and_a_cluster_command_finds_no_gateway_in_a_database_nobody_serves()
    {
        var before = Environment.GetEnvironmentVariable("HVS_DATABASE");
        Environment.SetEnvironmentVariable("HVS_DATABASE", null);
        try
        {
            var setup = await HvsRun.RunAsync("setup");
            var status = await HvsRun.RunAsync("status", "--database", $"Host=127.0.0.1;Port={FreeTcpPorts.Next(1)[0]};Username=hvs", "--connect-timeout", "2");

            Assert.True(setup.ExitCode == ExitCodes.InvalidInput, setup.ToString());
            Assert.Contains("--database CONNECTION", setup.Error, StringComparison.Ordinal);
            Assert.True(status.ExitCode == ExitCodes.Unreachable, status.ToString());
            Assert.StartsWith("hvs: No cluster answers at the gateways listed in the cluster's database", status.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HVS_DATABASE", before);
        }
    }
}
