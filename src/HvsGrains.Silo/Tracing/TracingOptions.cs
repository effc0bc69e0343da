namespace HvsGrains.Silo.Tracing;

/// <summary>OTLP trace export, bound from "Hvs:Tracing"; off unless an endpoint is set.</summary>
public sealed class TracingOptions
{
    public const string SectionName = "Hvs:Tracing";

    /// <summary>The collector's OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces; empty: no tracing.</summary>
    public string? OtlpEndpoint { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
