using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// What of a logged reading the module's features take: implausible channels (out of their physical range, or a max
/// surface its own average contradicts) become missing and are imputed. The log keeps what the gateway sent; the module
/// grain and the site's dataset export both go through here, so a retrained model sees the features the grain saw.
/// </summary>
public static class ModuleFeatureInput
{
    private static readonly ReadingValidator Plausibility = new();

    /// <summary>Channels of <paramref name="reading"/> the features must not take, given the module's last features.</summary>
    public static List<ReadingError> ImplausibleChannels(SensorReading reading, FeatureVector? last)
    {
        var implausible = Plausibility.ImplausibleChannels(reading).ToList();
        if (!implausible.Exists(e => e.Field is "maxSurfaceTempC" or "avgSurfaceTempC")
            && SurfaceCrossCheck.ImplausibleMaxSurface(reading, last) is { } why)
        {
            implausible.Add(new ReadingError("maxSurfaceTempC", why));
        }

        return implausible;
    }

    /// <summary>The reading with the <paramref name="implausible"/> channels set to missing.</summary>
    public static SensorReading WithoutImplausible(SensorReading reading, IEnumerable<ReadingError> implausible)
    {
        ArgumentNullException.ThrowIfNull(implausible);
        foreach (var channel in implausible)
        {
            SensorChannels.TryFindByJsonName(channel.Field, out var bad);
            reading = reading.With(bad, null);
        }

        return reading;
    }
}
