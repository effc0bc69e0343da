using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.Features;

/// <summary>
/// The window sweeps do all channels at once in vector lanes; these compare their double results,
/// bit for bit, with the per-channel scalar code they replaced (kept below as the reference). The
/// features are float, so a last-bit difference in a double would mostly hide there.
/// </summary>
public class WindowSweepTests
{
    private const int Channels = 9;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Sweeps_match_the_per_channel_scalar_formulas_bit_for_bit(int seed)
    {
        var random = new Random(seed);
        var shortWindow = new ShortWindow();
        var buckets = new BucketWindow();
        var ticks = TestReadings.Start.UtcTicks;
        Span<double> results = stackalloc double[6 * Channels];
        for (var i = 0; i < 3000; i++)
        {
            ticks += Step(random);
            var values = new float[Channels];
            for (var c = 0; c < Channels; c++)
            {
                values[c] = Value(random, c);
            }

            shortWindow.Add(ticks, values);
            buckets.Add(ticks, values);

            var oneMinute = new ChannelMoments(results[..9], results[9..18]);
            var fiveMinutes = new ChannelMoments(results[18..27], results[27..36]);
            var tenMinutes = new ChannelMoments(results[36..45], results[45..]);
            shortWindow.Stats(ref oneMinute);
            buckets.Stats(ticks, 30, 60, ref fiveMinutes, ref tenMinutes);
            for (var c = 0; c < Channels; c++)
            {
                AssertSame(ShortReference(shortWindow, c), oneMinute, c, $"1m channel {c} @{i}");
                AssertSame(BucketReference(buckets, ticks, c, 30), fiveMinutes, c, $"5m channel {c} @{i}");
                AssertSame(BucketReference(buckets, ticks, c, 60), tenMinutes, c, $"10m channel {c} @{i}");
            }
        }
    }

    /// <summary>Mostly ~1 Hz, with bursts, and gaps past each window.</summary>
    private static long Step(Random random) => random.Next(100) switch
    {
        0 => TimeSpan.TicksPerMinute * 11,
        1 or 2 => TimeSpan.TicksPerSecond * 70,
        < 20 => TimeSpan.TicksPerMillisecond * random.Next(1, 300),
        _ => TimeSpan.TicksPerMillisecond * random.Next(500, 1500),
    };

    /// <summary>Large offsets with tiny noise (where cancellation would show), signs, zeros, huge and tiny magnitudes.</summary>
    private static float Value(Random random, int channel) => (channel, random.Next(50)) switch
    {
        (_, 0) => -0f,
        (_, 1) => 1e30f * (float)random.NextDouble(),
        (_, 2) => 1e-30f * (float)random.NextDouble(),
        (0, _) => 812.3f + (0.01f * (float)random.NextDouble()),
        (1, _) => (float)((random.NextDouble() * 400) - 200),
        _ => (float)(channel * 10 * random.NextDouble()),
    };

    private static void AssertSame((long Count, double Mean, double M2) expected, ChannelMoments actual, int channel, string where)
    {
        Assert.True(expected.Count == actual.Count, $"count {where}");
        Assert.True(BitConverter.DoubleToInt64Bits(expected.Mean) == BitConverter.DoubleToInt64Bits(actual.Means[channel]), $"mean {where}: {expected.Mean:R} vs {actual.Means[channel]:R}");
        Assert.True(BitConverter.DoubleToInt64Bits(expected.M2) == BitConverter.DoubleToInt64Bits(actual.M2s[channel]), $"M2 {where}: {expected.M2:R} vs {actual.M2s[channel]:R}");
    }

    /// <summary>The former ShortWindow.Stats(channel): two passes over the ring, oldest first.</summary>
    private static (long, double, double) ShortReference(ShortWindow window, int channel)
    {
        var (ticks, values) = window.Export();
        var count = ticks.Length;
        if (count == 0)
        {
            return default;
        }

        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += values[(i * Channels) + channel];
        }

        var mean = sum / count;
        var m2 = 0.0;
        for (var i = 0; i < count; i++)
        {
            var d = values[(i * Channels) + channel] - mean;
            m2 += d * d;
        }

        return (count, mean, m2);
    }

    /// <summary>The former BucketWindow.Stats(now, channel, buckets): Chan et al.'s merge, newest bucket first.</summary>
    private static (long, double, double) BucketReference(BucketWindow window, long nowTicks, int channel, int bucketCount)
    {
        var (index, counts, means, m2s) = window.Export();
        var first = BucketWindow.BucketOf(nowTicks) - bucketCount;
        (long Count, double Mean, double M2) stats = default;
        for (var k = index.Length - 1; k >= 0 && index[k] > first; k--)
        {
            (long Count, double Mean, double M2) other = (counts[k], means[(k * Channels) + channel], m2s[(k * Channels) + channel]);
            if (other.Count == 0)
            {
                continue;
            }

            if (stats.Count == 0)
            {
                stats = other;
                continue;
            }

            var n = stats.Count + other.Count;
            var delta = other.Mean - stats.Mean;
            var mean = stats.Mean + (delta * other.Count / n);
            var m2 = stats.M2 + other.M2 + (delta * delta * stats.Count * other.Count / n);
            stats = (n, mean, m2);
        }

        return stats;
    }
}
