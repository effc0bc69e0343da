using System.Reflection;
using HvsGrains.Runtime.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HvsGrains.Runtime;

/// <summary>Registers grain types and the state storage of a silo.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services)
{
    internal Dictionary<Type, Type> Grains { get; } = [];

    public IServiceCollection Services { get; } = services;

    public GrainRuntimeBuilder AddGrain<TGrainInterface, TGrain>()
        where TGrainInterface : IGrainWithStringKey
        where TGrain : Grain, TGrainInterface
    {
        Grains[typeof(TGrainInterface)] = typeof(TGrain);
        return this;
    }

    /// <summary>Registers every concrete grain class of an assembly under each grain interface it implements.</summary>
    public GrainRuntimeBuilder AddGrainsFromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var grainClasses = assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(Grain).IsAssignableFrom(t));
        foreach (var grainClass in grainClasses)
        {
            foreach (var grainInterface in grainClass.GetInterfaces().Where(IsGrainInterface))
            {
                Grains[grainInterface] = grainClass;
            }
        }

        return this;
    }

    /// <summary>Keeps grain state in one SQLite file (the embedded default).</summary>
    public GrainRuntimeBuilder UseSqliteStorage(Action<SqliteGrainStorageOptions>? configure = null)
    {
        var options = Services.AddOptions<SqliteGrainStorageOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        Services.Replace(ServiceDescriptor.Singleton<IGrainStorage, SqliteGrainStorage>());
        return this;
    }

    private static bool IsGrainInterface(Type type) =>
        type.IsInterface && type != typeof(IGrainWithStringKey) && typeof(IGrainWithStringKey).IsAssignableFrom(type);
}
