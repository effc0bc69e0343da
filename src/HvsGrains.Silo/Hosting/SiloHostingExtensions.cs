using System.Text.Json.Serialization;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Dashboard;
using HvsGrains.Silo.Endpoints;
using HvsGrains.Silo.Export;
using HvsGrains.Silo.Feed;
using HvsGrains.Silo.Ingest;
using HvsGrains.Silo.Metrics;
using HvsGrains.Silo.Security;
using HvsGrains.Silo.Tracing;
using HvsGrains.Silo.Webhooks;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Hosting;

/// <summary>Composition of the silo, kept out of Program.cs (eShop style).</summary>
public static class SiloHostingExtensions
{
    public static WebApplicationBuilder AddHvsSilo(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddBuiltInSettings();
        var configuration = builder.Configuration;
        var silo = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>() ?? new SiloOptions();
        var dataDirectory = Path.GetFullPath(silo.DataDirectory, builder.Environment.ContentRootPath);
        var services = builder.Services;

        services.Configure<SiloOptions>(configuration.GetSection(SiloOptions.SectionName));
        builder.AddSiloTracing();
        builder.AddWarehouseSilo(dataDirectory);
        services.AddHazardModel(configuration, Path.Combine(dataDirectory, "models"));
        services.AddApiKeySecurity(configuration, dataDirectory);
        services.AddFrontDoor(configuration);
        services.AddClientErrors(configuration);
        services.AddHealthChecks().AddCheck<ModelHealthCheck>("model").AddCheck<ReadingLogHealthCheck>("readings-log");
        builder.AddSiloMetrics();
        services.AddDashboard(configuration);
        services.AddSimulatedFeed(configuration);
        services.AddIdleMemoryRelease(configuration);
        services.AddSiteExport(configuration);
        return builder;
    }

    public static WebApplication MapHvsSilo(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapMetrics();
        app.MapOpenApi().RequireAuthorization(ApiRoles.CanRead);
        var api = app.MapGroup("/api/v1");
        api.MapReadingsEndpoints().RequireIngestAdmission().RequireClusterMembership();
        api.MapStatusEndpoints();
        api.MapAlarmEndpoints();
        api.MapModelEndpoints();
        api.MapSiteExportEndpoints();
        api.MapDriftEndpoints();
        api.MapShadowModelEndpoints();
        api.MapWebhookEndpoints();
        app.MapDashboard();
        return app;
    }

    private static IServiceCollection AddFrontDoor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.SectionName))
            .Validate(o => { o.EnsureValid(); return true; }).ValidateOnStart();
        services.AddSingleton(new ReadingValidator());
        services.AddSingleton(sp => new JsonReadingBatchReader(sp.GetRequiredService<ReadingValidator>(), sp.GetRequiredService<IOptions<IngestOptions>>().Value));
        services.AddSingleton(sp => new CsvReadingBatchReader(sp.GetRequiredService<ReadingValidator>(), sp.GetRequiredService<IOptions<IngestOptions>>().Value));
        services.AddSingleton<ModuleReferences>();
        services.AddOptions<ModuleDispatchOptions>().Bind(configuration.GetSection(ModuleDispatchOptions.SectionName))
            .Validate(o => o.Lanes >= 1, "Hvs:Ingest:Dispatch:Lanes must be at least 1.").ValidateOnStart();
        var dispatch = configuration.GetSection(ModuleDispatchOptions.SectionName).Get<ModuleDispatchOptions>() ?? new ModuleDispatchOptions();
        if (dispatch.AcknowledgeWhenApplied ?? (configuration.GetSection(ClusterModeOptions.SectionName).Get<ClusterModeOptions>()?.IsClusterMode ?? false))
        {
            services.AddSingleton<AppliedDelivery>();
            services.AddSingleton(sp => new ReadingIngestor(sp.GetRequiredService<IReadingLog>(), sp.GetRequiredService<SiloMetrics>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReadingIngestor>>(), sp.GetRequiredService<AppliedDelivery>()));
        }
        else
        {
            services.AddSingleton<IReadingCommitListener, ModuleDispatcher>();
            services.AddSingleton<ReadingIngestor>();
        }

        services.AddSingleton<SiloMetrics>();
        services.AddIngestAdmission();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi();
        return services;
    }
}
