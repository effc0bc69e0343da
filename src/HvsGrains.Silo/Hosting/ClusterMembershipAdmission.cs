using System.Globalization;
using HvsGrains.Silo.Ingest;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Cluster mode: a silo that is not a confirmed member refuses readings (503, Retry-After, a problem body that says
/// nothing was taken) before reading the body, so the gateway sends the batch to another silo or again later.
/// In the embedded default there is no watch and nothing changes.
/// </summary>
public static class ClusterMembershipAdmission
{
    public const string HealthCheckName = "cluster-membership";

    public static IServiceCollection AddClusterMembershipWatch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterModeOptions>().Bind(configuration.GetSection(ClusterModeOptions.SectionName))
            .Validate(o => o.MembershipCheckInterval > TimeSpan.Zero && o.MembershipLostAfter >= o.MembershipCheckInterval,
                "Hvs:Cluster:MembershipCheckInterval must be positive and MembershipLostAfter at least as long.")
            .ValidateOnStart();
        services.AddSingleton<ClusterMembershipWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterMembershipWatch>());
        services.AddHealthChecks().AddCheck<ClusterMembershipHealthCheck>(HealthCheckName);
        return services;
    }

    /// <summary>Puts the endpoints of <paramref name="ingest"/> behind the membership check (cluster mode only).</summary>
    public static TBuilder RequireClusterMembership<TBuilder>(this TBuilder ingest)
        where TBuilder : IEndpointConventionBuilder =>
        ingest.AddEndpointFilter(async (context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            if (services.GetService<ClusterMembershipWatch>()?.Current is not { IsMember: false } verdict)
            {
                return await next(context);
            }

            var retryAfter = services.GetRequiredService<IOptions<IngestOptions>>().Value.RetryAfterSeconds;
            context.HttpContext.Response.Headers[HeaderNames.RetryAfter] = retryAfter.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "This silo is not a member of the cluster",
                detail: $"{verdict.Reason} None of this batch was taken; send it to another silo, or here again after {retryAfter} s.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = retryAfter });
        });
}
