using HvsGrains.Silo.Dashboard.Metrics;
using HvsGrains.Silo.Dashboard.Site;
using HvsGrains.Silo.Security;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// The operations dashboard: the site page (/dashboard), a module's page (/dashboard/modules/{id}),
/// the cluster page (/dashboard/cluster), their live streams (/api/v1/stream/...) and the cluster
/// figures (/api/v1/cluster), read in-process from the silo's meters.
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Policy of the dashboard's own endpoints: the read key only, so a browser never holds a stronger key.</summary>
    public const string ReadKeyOnly = "dashboard-read-key";

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName))
            .Validate(o => o.SitePollInterval > TimeSpan.Zero && o.ModulePollInterval > TimeSpan.Zero && o.MetricsInterval > TimeSpan.Zero
                && o.MetricsHistory >= o.MetricsInterval && o.StreamKeepAlive > TimeSpan.Zero, "Dashboard intervals must be positive.")
            .ValidateOnStart();
        services.AddSingleton<ClusterMetricsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMetricsCollector>());
        services.AddSingleton<SiteFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteFeed>());
        services.AddAuthorizationBuilder().AddPolicy(ReadKeyOnly, p => p.RequireRole(ApiRoles.Read));
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDashboardPages();
        var api = app.MapGroup("/api/v1").RequireAuthorization(ReadKeyOnly).WithTags("Dashboard");
        api.MapDashboardStreams();
        api.MapClusterEndpoints();
        return app;
    }
}
