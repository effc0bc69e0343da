using System.Net;
using System.Text.RegularExpressions;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>/metrics of a real silo that ingested readings: what Prometheus gets, that it is valid, who may read it.</summary>
public sealed partial class MetricsEndpointTests(MetricsSiloFixture silo) : IClassFixture<MetricsSiloFixture>
{
    [Fact]
    public async Task The_scrape_passes_promtool_and_holds_every_meter_without_module_labels()
    {
        var text = await ScrapeAsync();

        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "metrics"], input: text);
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics (exit {exitCode}):\n{output}");

        // (hvs_module_level_changes_total is not among them: a module's first readings are applied by the log replay
        // of its activation, which sets the level without counting a change.)
        // One family of each meter: ingest and log (HvsGrains.Silo), modules, scoring, site and alarms, Orleans (and its
        // latencies re-recorded in seconds), ASP.NET Core, Kestrel, runtime.
        string[] families =
        [
            "hvs_ingest_readings_total", "hvs_readings_log_commit_duration_seconds", "hvs_module_reading_lag_seconds",
            "hvs_scoring_duration_seconds", "hvs_scoring_wait_seconds", "hvs_model_active",
            "hvs_site_level", "hvs_site_modules", "hvs_site_alarms_active", "hvs_alarms_raised_total", "hvs_modules_anomalous",
            "orleans_grains", "orleans_storage_write_latency_seconds", "http_server_request_duration_seconds", "kestrel_active_connections", "dotnet_gc_collections_total",
        ];
        var exported = TypeLine().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
        Assert.All(families, family => Assert.Contains(family, exported));

        Assert.Matches(@"hvs_ingest_readings_total\{[^}]*outcome=""accepted""[^}]*\} 6\b", text);
        Assert.Matches(@"hvs_site_modules\{[^}]*level=""Critical""[^}]*\} 1\b", text);
        Assert.Matches(@"hvs_site_level\{[^}]*\} 3\b", text);
        Assert.Matches(@"hvs_site_alarms_active\{[^}]*severity=""Critical""[^}]*state=""open""[^}]*\} 1\b", text);
        Assert.DoesNotContain(MetricsSiloFixture.RackId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_silo_with_the_deployed_configuration_and_rules()
    {
        var folder = Path.Combine(silo.DataPath, "prometheus");
        var config = DeployedPrometheusConfig.WriteFor(folder, silo.Address, MetricsSiloFixture.MetricsKey);
        var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "config", config]);
        Assert.True(exitCode == 0, $"promtool check config (exit {exitCode}):\n{output}");

        await using var prometheus = await PrometheusServer.StartAsync(config, Path.Combine(folder, "storage"));

        Assert.Equal(1, await prometheus.QueryUntilAnswerAsync("up{job=\"hvsgrains-silo\"} == 1"));
        Assert.Equal(6, await prometheus.QueryUntilAnswerAsync("sum(hvs_ingest_readings_total{job=\"hvsgrains-silo\",outcome=\"accepted\"})"));
        Assert.Equal(3, await prometheus.QueryUntilAnswerAsync("max(hvs_site_level{job=\"hvsgrains-silo\"})"));

        // The deployed rules are loaded and evaluated: the fixture's site is at Critical.
        Assert.Equal(1, await prometheus.QueryUntilAnswerAsync("ALERTS{alertname=\"HvsSiteCritical\",alertstate=\"firing\",site=\"site\"}"));
    }

    [Fact]
    public async Task Metrics_need_a_key_and_the_metrics_key_reads_nothing_else()
    {
        using (var anonymous = silo.Client())
        using (var response = await anonymous.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var wrong = silo.Client("not-a-key-0123456789", bearer: true))
        using (var response = await wrong.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var ingest = silo.Client(MetricsSiloFixture.IngestKey))
        using (var response = await ingest.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using (var read = silo.Client(MetricsSiloFixture.ReadKey, bearer: true))
        using (var response = await read.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var metrics = silo.Client(MetricsSiloFixture.MetricsKey);
        using (var response = await metrics.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await metrics.GetAsync("/api/v1/warehouse"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    private async Task<string> ScrapeAsync()
    {
        using var client = silo.Client(MetricsSiloFixture.MetricsKey, bearer: true);
        using var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
