using HvsGrains.Grains.ReadingLog;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Hosting;

/// <summary>Not ready until the readings log has recovered: before that, history and module replay would see part of it.</summary>
public sealed class ReadingLogHealthCheck(IReadingLog log) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(log.Recovered.Status switch
        {
            TaskStatus.RanToCompletion => HealthCheckResult.Healthy("The readings log has recovered."),
            TaskStatus.Faulted => HealthCheckResult.Unhealthy("The readings log could not be opened.", log.Recovered.Exception?.GetBaseException()),
            _ => HealthCheckResult.Unhealthy("The readings log is recovering: readings a crash left outside its index are being found again."),
        });
}
