using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// An accepted reading with its position in the batch (0-based), so the response and the logs
/// can refer to it the same way the sender numbered it.
/// </summary>
public readonly record struct IndexedReading(int Index, SensorReading Reading);
