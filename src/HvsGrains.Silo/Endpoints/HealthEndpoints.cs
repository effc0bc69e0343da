using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Endpoints;

public static class HealthEndpoints
{
    /// <summary>Liveness answers while the process runs; readiness runs every registered check.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready");
        return app;
    }
}
