using HvsGrains.Runtime.Activation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Runtime;

/// <summary>Prepares storage and the idle collector at start; deactivates every grain at stop.</summary>
internal sealed partial class GrainRuntimeHostedService(GrainRuntime runtime, IGrainStorage storage, ILogger<GrainRuntimeHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.InitializeAsync(cancellationToken);
        runtime.Start();
        LogStarted(logger, runtime.Registry.InterfaceTypes.Count());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var count = runtime.ActivationCount;
        await runtime.StopAsync(cancellationToken);
        LogStopped(logger, count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain runtime started with {GrainTypes} grain types")]
    private static partial void LogStarted(ILogger logger, int grainTypes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain runtime stopped; {Activations} activations deactivated")]
    private static partial void LogStopped(ILogger logger, int activations);
}
