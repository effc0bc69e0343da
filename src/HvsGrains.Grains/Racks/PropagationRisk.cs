namespace HvsGrains.Grains.Racks;

/// <summary>Neighbouring modules heating together: the first sign that one runaway may spread.</summary>
public sealed record PropagationRisk(bool Active, IReadOnlyList<string> Modules, string? Detail)
{
    public static PropagationRisk None { get; } = new(false, [], null);
}
