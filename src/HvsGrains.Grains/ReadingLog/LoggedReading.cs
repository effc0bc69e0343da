using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// A reading as stored in the log, with the sequence number the log gave it. <paramref name="AcceptedAt"/>
/// is when the front door acknowledged it (null for readings replayed from the log), so module
/// grains can measure how long a reading took from acceptance to a hazard level.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.logged-reading")]
public sealed record LoggedReading([Id(0)] long Sequence, [Id(1)] SensorReading Reading, [Id(2)] DateTimeOffset? AcceptedAt = null);
