namespace HvsGrains.Grains.Readings;

/// <summary>Why one field of a reading was rejected; <paramref name="Field"/> is the JSON name, e.g. "avgSurfaceTempC".</summary>
public sealed record ReadingError(string Field, string Reason);
