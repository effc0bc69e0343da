namespace HvsGrains.Grains.Forecasting;

/// <summary>The per-minute means a module grain persists with its state (oldest first) and its latest reading's time.</summary>
[GenerateSerializer, Immutable, Alias("hvs.surface-minutes")]
public sealed record SurfaceMinutesSnapshot(
    [property: Id(0)] IReadOnlyList<SurfaceMinute> Minutes,
    [property: Id(1)] DateTimeOffset LastTimestamp);
