using HvsGrains.Grains.ModelScoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Hosting;

/// <summary>Ready but degraded while no model is in use: the safety rules still protect.</summary>
public sealed class ModelHealthCheck(HazardModelManager models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(models.Current is { } model
            ? HealthCheckResult.Healthy($"Hazard model {model.Version} is in use.")
            : HealthCheckResult.Degraded($"Rules only: {models.RulesOnlyReason}"));
}
