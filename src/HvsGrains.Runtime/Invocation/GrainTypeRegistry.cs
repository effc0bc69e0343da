using System.Collections.Frozen;

namespace HvsGrains.Runtime.Invocation;

/// <summary>The grain interfaces this silo knows, by interface type and by grain type name.</summary>
public sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<Type, GrainInterface> _byType;
    private readonly FrozenDictionary<string, GrainInterface> _byName;

    public GrainTypeRegistry(IEnumerable<KeyValuePair<Type, Type>> interfaceToImplementation)
    {
        var interfaces = interfaceToImplementation.Select(p => new GrainInterface(p.Key, p.Value)).ToList();
        var clash = interfaces.GroupBy(i => i.Name).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException($"Two grain interfaces are named {clash.Key}; grain type names must be unique.");
        }

        _byType = interfaces.ToFrozenDictionary(i => i.InterfaceType);
        _byName = interfaces.ToFrozenDictionary(i => i.Name, StringComparer.Ordinal);
    }

    /// <summary>Every registered grain interface type.</summary>
    public IEnumerable<Type> InterfaceTypes => _byType.Keys;

    /// <summary>The grain type name used in <see cref="GrainId"/> for an interface.</summary>
    public string GetGrainTypeName(Type interfaceType) => Get(interfaceType).Name;

    internal GrainInterface Get(Type interfaceType) =>
        _byType.TryGetValue(interfaceType, out var grainInterface)
            ? grainInterface
            : throw new ArgumentException($"{interfaceType.Name} is not a registered grain interface.");

    internal GrainInterface Get(string grainType) =>
        _byName.TryGetValue(grainType, out var grainInterface)
            ? grainInterface
            : throw new ArgumentException($"Unknown grain type '{grainType}'.");

    internal GrainMethod GetMethod(string grainType, string method) =>
        Get(grainType).MethodsByName.TryGetValue(method, out var grainMethod)
            ? grainMethod
            : throw new ArgumentException($"Grain type '{grainType}' has no method '{method}'.");
}
