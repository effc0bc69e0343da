using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>API-key authentication and one policy per role (admin passes every policy).</summary>
    public static IServiceCollection AddApiKeySecurity(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        services.Configure<ApiKeyOptions>(configuration.GetSection(ApiKeyOptions.SectionName));
        services.AddSingleton(sp => new ApiKeyStore(
            sp.GetRequiredService<IOptions<ApiKeyOptions>>(), dataDirectory, sp.GetRequiredService<ILogger<ApiKeyStore>>()));
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiRoles.CanIngest, p => p.RequireRole(ApiRoles.Ingest, ApiRoles.Admin))
            .AddPolicy(ApiRoles.CanRead, p => p.RequireRole(ApiRoles.Read, ApiRoles.Operator, ApiRoles.Admin))
            .AddPolicy(ApiRoles.CanOperate, p => p.RequireRole(ApiRoles.Operator, ApiRoles.Admin))
            .AddPolicy(ApiRoles.CanAdminister, p => p.RequireRole(ApiRoles.Admin))
            .AddPolicy(ApiRoles.CanScrapeMetrics, p => p.RequireRole(ApiRoles.Metrics, ApiRoles.Read, ApiRoles.Admin));
        return services;
    }
}
