namespace HvsGrains.Silo.Security;

/// <summary>The roles an API key can carry, and the authorization policies built on them.</summary>
public static class ApiRoles
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";
    public const string Metrics = "metrics";

    /// <summary>Policy names: each admits its role and admin.</summary>
    public const string CanIngest = "can-ingest";
    public const string CanRead = "can-read";
    public const string CanAdminister = "can-administer";

    /// <summary>Scraping /metrics: the metrics role, read and admin.</summary>
    public const string CanScrapeMetrics = "can-scrape-metrics";
}
