using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// Keeps a module's sensor faults: implausible channels (out of range, or failing a cross-check) and
/// thermistors whose one-reading spike the feature code clipped. A fault stays until its channel has
/// been plausible for <see cref="Hold"/> of sensor time, so a flickering sensor is one advisory, not many.
/// </summary>
public sealed class SensorFaultWatch(Dictionary<string, SensorFault> faults)
{
    /// <summary>Long enough to cover a flickering thermistor's gaps; short enough that a repaired sensor clears within a shift's glance.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    // Spikes count as faults on thermistors only: gas channels can puff for one reading in earnest.
    private static readonly SensorChannel[] Thermistors = [SensorChannel.AvgSurfaceTemp, SensorChannel.MaxSurfaceTemp, SensorChannel.AmbientTemp];

    public IReadOnlyList<SensorFault> Current => [.. faults.Values.OrderBy(f => f.Channel, StringComparer.Ordinal)];

    /// <summary>Channels at fault now, in name order; empty when none.</summary>
    public IReadOnlyList<string> Channels => [.. faults.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Takes in one applied reading and the spikes it revealed; true when the set of faulty channels changed.</summary>
    public bool Observe(DateTimeOffset at, IEnumerable<ReadingError> implausible, int rejectedSpikeMask)
    {
        ArgumentNullException.ThrowIfNull(implausible);
        var before = faults.Count;
        var added = false;
        foreach (var channel in implausible)
        {
            added |= Record(channel.Field, channel.Reason + "; imputed from the last good value", at);
        }

        foreach (var channel in Thermistors.Where(c => (rejectedSpikeMask & (1 << (int)c)) != 0))
        {
            added |= Record(SensorChannels.Get(channel).JsonName,
                "jumped for one reading faster than heat can move and fell back; that reading's value was replaced by the largest plausible step", at);
        }

        var expired = faults.Values.Where(f => at - f.LastSeenAt > Hold).Select(f => f.Channel).ToList();
        expired.ForEach(c => faults.Remove(c));
        return added || faults.Count != before;
    }

    private bool Record(string channel, string reason, DateTimeOffset at)
    {
        if (faults.TryGetValue(channel, out var known))
        {
            faults[channel] = known with { Reason = reason, LastSeenAt = at, Readings = known.Readings + 1 };
            return false;
        }

        faults[channel] = new SensorFault(channel, reason, at, at, 1);
        return true;
    }
}
