using Microsoft.Extensions.Hosting;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// Opens the readings log when the host starts, so its recovery runs from the first moment rather
/// than when the first request or grain asks for it. Does not wait for recovery: the silo answers
/// liveness meanwhile, and readiness and queries wait on <see cref="IReadingLog.Recovered"/>.
/// </summary>
internal sealed class ReadingLogStartup(IReadingLog log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = log.Recovered; // resolving the log opened it; this keeps the dependency from looking unused
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
