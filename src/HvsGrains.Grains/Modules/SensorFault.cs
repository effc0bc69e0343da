namespace HvsGrains.Grains.Modules;

/// <summary>
/// A sensor channel of a module that sent implausible values, whose values were replaced. Times are
/// sensor time (the readings'). <paramref name="Channel"/> is the JSON name, e.g. "maxSurfaceTempC".
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.sensor-fault")]
public sealed record SensorFault(
    [Id(0)] string Channel,
    [Id(1)] string Reason,
    [Id(2)] DateTimeOffset FirstSeenAt,
    [Id(3)] DateTimeOffset LastSeenAt,
    [Id(4)] int Readings);
