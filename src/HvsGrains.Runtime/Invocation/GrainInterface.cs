using System.Collections.Frozen;
using System.Reflection;

namespace HvsGrains.Runtime.Invocation;

/// <summary>A grain interface, its implementation class and its methods by name.</summary>
internal sealed class GrainInterface
{
    public GrainInterface(Type interfaceType, Type implementationType)
    {
        if (!interfaceType.IsInterface || !typeof(IGrainWithStringKey).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.Name} is not a grain interface (an interface deriving from IGrainWithStringKey).");
        }

        if (!interfaceType.IsAssignableFrom(implementationType) || !typeof(Grain).IsAssignableFrom(implementationType) || implementationType.IsAbstract)
        {
            throw new ArgumentException($"{implementationType.Name} must be a concrete Grain implementing {interfaceType.Name}.");
        }

        InterfaceType = interfaceType;
        ImplementationType = implementationType;
        Name = interfaceType.Name;
        TypeTag = new KeyValuePair<string, object?>("grain.type", Name);

        var methods = new[] { interfaceType }.Concat(interfaceType.GetInterfaces())
            .Where(i => i != typeof(IGrain) && i != typeof(IGrainWithStringKey))
            .SelectMany(i => i.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .ToList();
        var duplicate = methods.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            // Calls are addressed by method name so they stay readable on the wire; overloads would be ambiguous.
            throw new ArgumentException($"{Name} has more than one method named {duplicate.Key}; grain methods must have unique names.");
        }

        var table = methods.Select(m => new GrainMethod(this, m)).ToList();
        MethodsByName = table.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
        MethodsByInfo = table.ToFrozenDictionary(m => m.Info);
    }

    public Type InterfaceType { get; }

    public Type ImplementationType { get; }

    public string Name { get; }

    /// <summary>The metric tag naming this grain type, made once.</summary>
    public KeyValuePair<string, object?> TypeTag { get; }

    public FrozenDictionary<string, GrainMethod> MethodsByName { get; }

    public FrozenDictionary<MethodInfo, GrainMethod> MethodsByInfo { get; }
}
