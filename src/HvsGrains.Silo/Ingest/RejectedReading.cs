namespace HvsGrains.Silo.Ingest;

/// <summary>
/// One problem with one reading of a batch. A reading with several problems has several entries
/// with the same <paramref name="Index"/>; <paramref name="Field"/> is the JSON name (e.g. "voltageV"),
/// "reading" for the element as a whole, or the sender's own name for an unknown field.
/// </summary>
public sealed record RejectedReading(int Index, string Field, string Reason);
