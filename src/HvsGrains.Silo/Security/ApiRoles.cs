namespace HvsGrains.Silo.Security;

/// <summary>The roles an API key can carry, and the authorization policies built on them.</summary>
public static class ApiRoles
{
    public const string Ingest = "ingest";
    public const string Read = "read";
    public const string Admin = "admin";
    public const string Metrics = "metrics";

    /// <summary>A person on shift: reads like the read key and acknowledges and judges alarms.</summary>
    public const string Operator = "operator";

    /// <summary>Policy names: each admits its role and admin.</summary>
    public const string CanIngest = "can-ingest";
    public const string CanRead = "can-read";
    public const string CanAdminister = "can-administer";

    /// <summary>Acknowledging and judging alarms: the operator role and admin (not the read key the site page holds).</summary>
    public const string CanOperate = "can-operate";

    /// <summary>Scraping /metrics: the metrics role, read and admin.</summary>
    public const string CanScrapeMetrics = "can-scrape-metrics";
}
