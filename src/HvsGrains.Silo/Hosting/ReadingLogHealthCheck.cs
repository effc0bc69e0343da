using HvsGrains.Grains.ReadingLog;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HvsGrains.Silo.Hosting;

/// <summary>
/// Not ready until the readings log has recovered (before that, history and module replay would see part of it), nor while
/// it cannot make appends durable (its database away): a silo that would refuse every reading is not sent any.
/// </summary>
public sealed class ReadingLogHealthCheck(IReadingLog log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        log.Recovered.Status switch
        {
            TaskStatus.RanToCompletion => await log.CheckAvailableAsync(cancellationToken) is { } unavailable
                ? HealthCheckResult.Unhealthy("The readings log's database cannot be reached: readings are refused until it answers again.", unavailable.GetBaseException())
                : HealthCheckResult.Healthy("The readings log has recovered."),
            TaskStatus.Faulted => HealthCheckResult.Unhealthy("The readings log could not be opened.", log.Recovered.Exception?.GetBaseException()),
            _ => HealthCheckResult.Unhealthy("The readings log is recovering: readings a crash left outside its index are being found again, or its database is awaited."),
        };
}
