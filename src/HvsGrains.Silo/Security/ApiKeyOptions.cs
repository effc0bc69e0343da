namespace HvsGrains.Silo.Security;

/// <summary>One API key per role, from configuration (Hvs__ApiKeys__Ingest, __Read, __Operator, __Admin, __Metrics).</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Hvs:ApiKeys";

    /// <summary>For sensor gateways: may post readings.</summary>
    public string? Ingest { get; set; }

    /// <summary>For facility systems and the dashboard: may read status (not acknowledge alarms).</summary>
    public string? Read { get; set; }

    /// <summary>For people on shift: may read and acknowledge alarms and record verdicts on them.</summary>
    public string? Operator { get; set; }

    /// <summary>For operators of the silo: may do everything.</summary>
    public string? Admin { get; set; }

    /// <summary>For a Prometheus server: may scrape /metrics and nothing else (read and admin keys may too).</summary>
    public string? Metrics { get; set; }

    public bool IsEmpty => string.IsNullOrEmpty(Ingest) && string.IsNullOrEmpty(Read) && string.IsNullOrEmpty(Admin) && string.IsNullOrEmpty(Metrics)
        && string.IsNullOrEmpty(Operator);
}
