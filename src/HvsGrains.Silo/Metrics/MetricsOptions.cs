namespace HvsGrains.Silo.Metrics;

/// <summary>The Prometheus scrape endpoint, bound from "Hvs:Metrics".</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Hvs:Metrics";

    /// <summary>Where Prometheus scrapes (API key: metrics, read or admin).</summary>
    public string Path { get; set; } = "/metrics";
}
