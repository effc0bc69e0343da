namespace HvsGrains.Grains.Racks;

/// <summary>Neighbouring modules heating together: the first sign that one runaway may spread.</summary>
[GenerateSerializer, Immutable, Alias("hvs.propagation-risk")]
public sealed record PropagationRisk([Id(0)] bool Active, [Id(1)] IReadOnlyList<string> Modules, [Id(2)] string? Detail)
{
    public static PropagationRisk None { get; } = new(false, [], null);
}
