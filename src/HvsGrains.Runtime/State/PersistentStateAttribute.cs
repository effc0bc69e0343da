namespace HvsGrains.Runtime;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>; the runtime
/// supplies it, bound to the grain's id and this state name, and reads it before OnActivateAsync.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    public string StateName { get; } = stateName;

    /// <summary>A keyed <see cref="IGrainStorage"/> service; null for the default storage.</summary>
    public string? StorageName { get; } = storageName;
}
