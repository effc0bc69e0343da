using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace HvsGrains.Silo.Tracing;

/// <summary>
/// Traces from the front door through the grains, exported over OTLP/HTTP when "Hvs:Tracing:OtlpEndpoint" is set.
/// Off by default: without a listener neither ASP.NET Core nor Orleans creates an activity, so the ingest path pays nothing.
/// </summary>
public static class TracingExtensions
{
    private static readonly string[] Sources =
    [
        "Microsoft.AspNetCore",          // one span per request
        "Microsoft.Orleans.Application", // grain calls, carrying the request's trace
        "System.Net.Http",               // webhook deliveries
    ];

    /// <summary>Call before the silo is added: Orleans reads its tracing switch when the silo builder is made.</summary>
    public static WebApplicationBuilder AddSiloTracing(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(TracingOptions.SectionName);
        builder.Services.AddOptions<TracingOptions>().Bind(section)
            .Validate(o => !o.Enabled || Uri.TryCreate(o.OtlpEndpoint, UriKind.Absolute, out _), $"{TracingOptions.SectionName}:OtlpEndpoint must be an absolute URL.")
            .ValidateOnStart();
        var tracing = section.Get<TracingOptions>() ?? new TracingOptions();
        if (!tracing.Enabled || !Uri.TryCreate(tracing.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            return builder;
        }

        // Orleans' own switch for passing the current activity through grain calls (its filters are internal).
        builder.Configuration["Orleans:EnableDistributedTracing"] = "true";
        builder.Services.AddOpenTelemetry().WithTracing(traces => traces
            .AddSource(Sources)
            .AddOtlpExporter(otlp =>
            {
                otlp.Endpoint = endpoint;
                otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            }));
        return builder;
    }
}
