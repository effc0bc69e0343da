using HvsGrains.Silo.Security;
using HvsGrains.Simulation.Feed;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Feed;

/// <summary>
/// Runs the simulator's live feed against this silo's own front door, over HTTP and with the
/// ingest key, exactly as an external sensor gateway would.
/// </summary>
public sealed partial class SimulatedFeedService(
    IOptions<SimulatedFeedOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ApiKeyStore keys,
    ILogger<SimulatedFeedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feed = options.Value;
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || keys.Keys.Ingest is not { } ingestKey)
        {
            LogNotStarted(logger, address is null ? "the silo listens on no address" : "there is no ingest key");
            return;
        }

        var url = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
        using var http = new HttpClient();
        using var output = new LogWriter(logger);
        try
        {
            await LiveFeed.RunAsync(
                new FeedOptions
                {
                    Url = url,
                    ApiKey = ingestKey,
                    Racks = feed.Racks,
                    ModulesPerRack = feed.ModulesPerRack,
                    Speed = feed.Speed,
                    Duration = feed.Duration,
                    Fault = feed.Fault,
                    Severity = feed.Severity,
                    FaultModule = feed.FaultModule,
                    FaultAt = feed.FaultAt,
                    Chemistry = feed.Chemistry,
                    GasSensing = feed.GasSensing,
                },
                http,
                output,
                cancellationToken: stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Simulated feed not started: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string reason);

    /// <summary>The feed reports progress as lines of text; they go to the log.</summary>
    private sealed partial class LogWriter(ILogger logger) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        public override void WriteLine(string? value) => LogProgress(logger, value ?? string.Empty);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Line}")]
        private static partial void LogProgress(ILogger logger, string line);
    }
}
