using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Dashboard.Site;
using HvsGrains.Silo.Security;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// The operations dashboard: the site page (/dashboard) with its feed and model figures, a module's page
/// (/dashboard/modules/{id}), their live streams (/api/v1/stream/...), and Orleans' own dashboard
/// (/dashboard/orleans, admin only, sign-in at /dashboard/sign-in).
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Policy of the dashboard's own endpoints: the read key only, so a browser never holds a stronger key.</summary>
    public const string ReadKeyOnly = "dashboard-read-key";

    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName))
            .Validate(o => o.FeedFiguresInterval > TimeSpan.Zero && o.ModulePollInterval > TimeSpan.Zero && o.StreamKeepAlive > TimeSpan.Zero,
                "Dashboard intervals must be positive.")
            .Validate(o => o.SiteSubscriptionRenewal > TimeSpan.Zero && o.SiteSubscriptionRenewal < SiteObservers.Expiry,
                $"Hvs:Dashboard:SiteSubscriptionRenewal must be positive and less than the warehouse grain's expiry of a subscription ({SiteObservers.Expiry}).")
            .ValidateOnStart();
        services.AddSingleton<FeedMeters>();
        services.AddSingleton<SiteFeedMetrics>();
        services.AddSingleton<SiteReader>();
        services.AddSingleton<SiteFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SiteFeed>());
        services.AddAuthorizationBuilder().AddPolicy(ReadKeyOnly, p => p.RequireRole(ApiRoles.Read));
        services.AddOrleansDashboardAccess();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapDashboardPages();
        var api = app.MapGroup("/api/v1").RequireAuthorization(ReadKeyOnly).WithTags("Dashboard");
        api.MapDashboardStreams();
        api.MapGet("/dashboard/key", () => TypedResults.Ok(new { role = "read" }))
            .WithSummary("Answers 200 for the read key: the dashboard checks the key a person enters");
        app.MapOrleansDashboardBehindSignIn();
        return app;
    }
}
