namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>deploy/prometheus/alerts.yml is valid and its unit tests (alerts.test.yml) pass under promtool.</summary>
public sealed class AlertRulesTests
{
    [Fact]
    public async Task The_alert_rules_are_valid()
    {
        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "rules", DeployedPrometheusConfig.PathOf("alerts.yml")]);
        Assert.True(exitCode == 0, $"promtool check rules (exit {exitCode}):\n{output}");
        Assert.Contains("SUCCESS: 7 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_unit_tests()
    {
        var tests = DeployedPrometheusConfig.PathOf("alerts.test.yml");
        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["test", "rules", tests], workingDirectory: Path.GetDirectoryName(tests));
        Assert.True(exitCode == 0, $"promtool test rules (exit {exitCode}):\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }
}
