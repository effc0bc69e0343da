using HvsGrains.Grains.ReadingLog;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// Readings of one module from one acknowledged batch, oldest first. A reading the log already held (a gateway
/// sending a batch again) comes with sequence 0: the module applies it if it has not yet.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.module-readings")]
public sealed record ModuleReadings([property: Id(0)] IReadOnlyList<LoggedReading> Readings);
