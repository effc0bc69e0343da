using HvsGrains.Silo.Security;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace HvsGrains.Silo.Metrics;

/// <summary>OpenTelemetry metrics of the silo, served in the Prometheus text format on the front door's port.</summary>
public static class MetricsExtensions
{
    public static WebApplicationBuilder AddSiloMetrics(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<MetricsOptions>().Bind(builder.Configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.Path.StartsWith('/'), "Hvs:Metrics:Path must start with '/'.").ValidateOnStart();
        builder.Services.AddSingleton<OrleansLatencyInSeconds>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrleansLatencyInSeconds>());
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("hvsgrains-silo"))
            .WithMetrics(metrics => metrics
                .AddMeter([.. ExportedMeters.Names])
                .AddView(PrometheusConventions.View)
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>/metrics, behind an API key like every other endpoint but health (see the README for why).</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var path = app.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.Path ?? new MetricsOptions().Path;
        app.MapPrometheusScrapingEndpoint(path).RequireAuthorization(ApiRoles.CanScrapeMetrics);
        return app;
    }
}
