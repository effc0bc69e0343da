namespace HvsGrains.Grains.Features;

/// <summary>
/// The fastest a channel can plausibly change. A jump beyond
/// <c>MaxRatePerSecond · Δt + NoiseFloor</c> (Δt since the last accepted value) is a suspect spike.
/// </summary>
public sealed record SpikeLimit(double MaxRatePerSecond, double NoiseFloor);
