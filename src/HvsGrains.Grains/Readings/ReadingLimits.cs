namespace HvsGrains.Grains.Readings;

/// <summary>
/// What a reading must satisfy to be physically possible. Ranges are deliberately wide: they
/// reject broken sensors and garbage, never a real (if alarming) measurement.
/// </summary>
public sealed record ReadingLimits
{
    public static ReadingLimits Default { get; } = new();

    /// <summary>Gateways are NTP-synced; 5 minutes tolerates a drifting clock but refuses a wrong-date one.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>An unset real-time clock reports 1970; nothing in this system predates 2000.</summary>
    public DateTimeOffset MinTimestamp { get; init; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Ids become grain keys, log keys and URL segments: short and URL/file-name safe.</summary>
    public int MaxIdLength { get; init; } = 128;

    /// <summary>Max and average surface temperatures come from different thermistors; calibration offsets of a few tenths of a degree are normal.</summary>
    public double SurfaceSpreadToleranceC { get; init; } = 0.5;

    /// <summary>The physically possible range of a channel; the reasoning for each is beside it in <see cref="SensorChannels.All"/>.</summary>
    public (double Min, double Max) RangeFor(SensorChannel channel)
    {
        var info = SensorChannels.Get(channel);
        return (info.PhysicalMin, info.PhysicalMax);
    }
}
