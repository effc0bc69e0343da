namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>
/// deploy/prometheus/prometheus.yml with the test's target, key file and rule file put in, and short
/// scrape and evaluation intervals. Each substitution must find its text, so a changed deploy file fails loudly here.
/// </summary>
public static class DeployedPrometheusConfig
{
    public const string Folder = "deploy/prometheus";

    public static string PathOf(string file) => RepositoryFiles.Find($"{Folder}/{file}");

    /// <summary>Writes the derived configuration into <paramref name="folder"/> with the key file beside it; returns its path.</summary>
    public static string WriteFor(string folder, string target, string metricsKey)
    {
        Directory.CreateDirectory(folder);
        var keyFile = Path.Combine(folder, "metrics-key");
        File.WriteAllText(keyFile, metricsKey);
        var config = File.ReadAllText(PathOf("prometheus.yml"));
        config = Substitute(config, "\"hvsgrains-silo:80\"", $"\"{target}\"");
        config = Substitute(config, "/etc/prometheus/secrets/hvsgrains-metrics-key", keyFile);
        config = Substitute(config, "- alerts.yml", $"- {PathOf("alerts.yml")}");
        config = Substitute(config, "scrape_interval: 15s", "scrape_interval: 1s");
        config = Substitute(config, "evaluation_interval: 15s", "evaluation_interval: 1s");
        var path = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(path, config);
        return path;
    }

    private static string Substitute(string config, string text, string replacement)
    {
        Assert.True(config.Contains(text, StringComparison.Ordinal), $"deploy/prometheus/prometheus.yml no longer has {text}");
        return config.Replace(text, replacement, StringComparison.Ordinal);
    }
}
