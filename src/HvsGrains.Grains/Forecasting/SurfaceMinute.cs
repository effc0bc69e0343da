namespace HvsGrains.Grains.Forecasting;

/// <summary>
/// One minute (sensor time) of a module's hottest-surface readings, as sums so a reading adds in O(1):
/// the mean, its time and the scatter inside the minute follow from them.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.surface-minute")]
public sealed record SurfaceMinute(
    [property: Id(0)] long Minute,
    [property: Id(1)] int Count,
    [property: Id(2)] double Sum,
    [property: Id(3)] double SumOfSquares,
    [property: Id(4)] double SumOfSeconds);
