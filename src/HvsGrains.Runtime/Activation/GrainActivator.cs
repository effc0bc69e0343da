using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using HvsGrains.Runtime.State;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Runtime.Activation;

/// <summary>
/// Creates grain objects: services come from DI, [PersistentState] parameters are bound to the
/// grain's id. Hand-written because ActivatorUtilities cannot bind attribute-marked parameters.
/// </summary>
public sealed class GrainActivator(IServiceProvider services)
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<Type, ConstructorPlan> _plans = new();

    /// <summary>Creates the grain; returns it with the states to read before it activates.</summary>
    internal (Grain Grain, IReadOnlyList<IReadableState> States) Create(Type grainType)
    {
        var grainId = ActivationData.Constructing?.GrainId
            ?? throw new InvalidOperationException("Grains are created by the runtime during activation.");
        var plan = _plans.GetOrAdd(grainType, static type => ConstructorPlan.For(type));
        var states = new List<IReadableState>();
        var arguments = new object?[plan.Parameters.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var parameter = plan.Parameters[i];
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
            {
                var state = CreateState(parameter.ParameterType, attribute, grainId);
                states.Add(state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetService(parameter.ParameterType)
                    ?? throw new InvalidOperationException($"{grainType.Name} needs a {parameter.ParameterType.Name}, which is not registered.");
            }
        }

        return ((Grain)plan.Constructor.Invoke(arguments), states);
    }

    private IReadableState CreateState(Type parameterType, PersistentStateAttribute attribute, GrainId grainId)
    {
        if (!parameterType.IsGenericType || parameterType.GetGenericTypeDefinition() != typeof(IPersistentState<>))
        {
            throw new InvalidOperationException($"[PersistentState] goes on an IPersistentState<T> parameter, not {parameterType.Name}.");
        }

        var storage = attribute.StorageName is null
            ? services.GetRequiredService<IGrainStorage>()
            : services.GetRequiredKeyedService<IGrainStorage>(attribute.StorageName);
        var stateType = typeof(PersistentState<>).MakeGenericType(parameterType.GetGenericArguments()[0]);
        return (IReadableState)System.Activator.CreateInstance(stateType, attribute.StateName, grainId, storage, StateJson)!;
    }

    private sealed record ConstructorPlan(ConstructorInfo Constructor, ParameterInfo[] Parameters)
    {
        public static ConstructorPlan For(Type type)
        {
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                ?? throw new InvalidOperationException($"{type.Name} has no public constructor.");
            return new ConstructorPlan(constructor, constructor.GetParameters());
        }
    }
}
