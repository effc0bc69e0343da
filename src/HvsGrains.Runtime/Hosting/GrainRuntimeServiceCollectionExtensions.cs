using HvsGrains.Runtime.Activation;
using HvsGrains.Runtime.Invocation;
using HvsGrains.Runtime.Metrics;
using HvsGrains.Runtime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HvsGrains.Runtime;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>Adds the grain runtime and starts/stops it with the host.</summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GrainRuntimeBuilder(services);
        configure(builder);
        var grains = builder.Grains.ToList();

        services.AddOptions<GrainRuntimeOptions>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainStorage, SqliteGrainStorage>();
        services.AddOptions<SqliteGrainStorageOptions>();
        services.AddSingleton(_ => new GrainTypeRegistry(grains));
        services.AddSingleton<GrainActivator>();
        services.AddSingleton<RuntimeMetrics>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddHostedService<GrainRuntimeHostedService>();
        return services;
    }
}
