using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Hosting;

/// <summary>Cluster mode: not ready while this silo is not an Active member the membership table confirms.</summary>
public sealed class ClusterMembershipHealthCheck(ClusterMembershipWatch watch) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var verdict = watch.Current;
        return Task.FromResult(verdict.IsMember ? HealthCheckResult.Healthy(verdict.Reason) : HealthCheckResult.Unhealthy(verdict.Reason));
    }
}
