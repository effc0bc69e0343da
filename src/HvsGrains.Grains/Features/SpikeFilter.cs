namespace HvsGrains.Grains.Features;

/// <summary>
/// Clips isolated spikes without ever clipping a real runaway away.
/// <para>
/// Why not "mean ± k·std": a runaway is by definition statistically abnormal, so a variance test
/// would clip exactly the readings we exist to catch. Instead a value is suspect only when it
/// jumps from the last accepted value faster than the channel can physically change
/// (<see cref="SpikeLimit"/>). A suspect value is clipped to the edge of the plausible range
/// (so the features still show a maximal rise) and remembered as pending. If the next reading
/// jumps the same way, the change is confirmed as real: it is accepted unclipped and the channel
/// enters a trend, in which further jumps the same way are accepted too. A one-off spike costs
/// one clipped sample; a genuine fast runaway costs at most one sample of delay.
/// </para>
/// </summary>
internal static class SpikeFilter
{
    /// <summary>Per-channel filter state; mode is 0 (steady), ±1 (pending spike up/down) or ±2 (confirmed trend).</summary>
    public struct Channel
    {
        // Widest first: 16 bytes instead of 24 with padding, nine per module grain.
        public long ReferenceTicks;
        public float Reference;
        public sbyte Mode;
    }

    /// <summary>Returns the value to use and whether it was clipped.</summary>
    public static (float Value, bool Clipped) Apply(ref Channel state, SpikeLimit? limit, float raw, long ticks)
    {
        if (limit is null)
        {
            Accept(ref state, raw, ticks, 0);
            return (raw, false);
        }

        var seconds = (ticks - state.ReferenceTicks) / (double)TimeSpan.TicksPerSecond;
        var allowed = (limit.MaxRatePerSecond * seconds) + limit.NoiseFloor;
        var deviation = (double)raw - state.Reference;
        if (Math.Abs(deviation) <= allowed)
        {
            // A slower step in the trend's direction keeps the trend: runaways accelerate unevenly.
            var keepTrend = state.Mode * Math.Sign(deviation) == 2;
            Accept(ref state, raw, ticks, keepTrend ? state.Mode : (sbyte)0);
            return (raw, false);
        }

        var direction = (sbyte)Math.Sign(deviation);
        if (state.Mode == direction || state.Mode == 2 * direction)
        {
            Accept(ref state, raw, ticks, (sbyte)(2 * direction));
            return (raw, false);
        }

        // Reference stays at the last accepted value so a spike does not drag the baseline along.
        state.Mode = direction;
        return ((float)(state.Reference + (direction * allowed)), true);
    }

    public static void Accept(ref Channel state, float value, long ticks, sbyte mode)
    {
        state.Reference = value;
        state.ReferenceTicks = ticks;
        state.Mode = mode;
    }
}
