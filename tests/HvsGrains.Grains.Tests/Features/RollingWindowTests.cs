using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Features;

public class RollingWindowTests
{
    private const long BucketTicks = 10 * TimeSpan.TicksPerSecond;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Windows_match_naive_recomputation_with_irregular_intervals(int seed)
    {
        var random = new Random(seed);
        var state = new ModuleFeatureState(TestReadings.Module);
        var history = new List<(long Ticks, float[] Values)>();
        var seconds = 0.0;
        for (var i = 0; i < 1500; i++)
        {
            seconds += 1 + (random.NextDouble() * 9); // readings every 1-10 s
            // Large offset with tiny noise (voltage) is where sum/sum-of-squares would cancel.
            var reading = TestReadings.At(seconds, tempC: 25 + (seconds / 200) + random.NextDouble(), voltage: 812.3 + (random.NextDouble() * 0.01));
            Assert.Equal(ApplyOutcome.Applied, state.Apply(reading));
            var f = state.Current!;
            var values = Enum.GetValues<SensorChannel>().Select(f.Value).ToArray();
            var now = reading.Timestamp.UtcTicks;
            history.Add((now, values));

            foreach (var c in Enum.GetValues<SensorChannel>())
            {
                var oneMinute = history.Where(h => h.Ticks > now - TimeSpan.TicksPerMinute).Select(h => (double)h.Values[(int)c]).ToList();
                AssertStats(oneMinute, f.RollingMean(c, 1), f.RollingStd(c, 1), $"1m {c} @{i}");
                foreach (var (minutes, buckets) in new[] { (5, 30), (10, 60) })
                {
                    var first = (now / BucketTicks) - buckets;
                    var window = history.Where(h => h.Ticks / BucketTicks > first).Select(h => (double)h.Values[(int)c]).ToList();
                    AssertStats(window, f.RollingMean(c, minutes), f.RollingStd(c, minutes), $"{minutes}m {c} @{i}");
                }
            }
        }

        Assert.Equal(0, state.Counters.ShortWindowOverflows);
    }

    [Fact]
    public void Windows_are_time_based_not_row_based()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        // Every 10 s: a 1-minute window holds 6 readings, not 60.
        for (var i = 0; i < 20; i++)
        {
            state.Apply(TestReadings.At(i * 10, tempC: i));
        }

        var f = state.Current!;
        Assert.Equal(Enumerable.Range(14, 6).Average(), f.RollingMean(SensorChannel.AvgSurfaceTemp, 1), 4);
    }

    [Fact]
    public void A_gap_longer_than_the_windows_starts_them_afresh()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var i = 0; i < 100; i++)
        {
            state.Apply(TestReadings.At(i, tempC: 20 + (i % 5)));
        }

        state.Apply(TestReadings.At(100 + 3600, tempC: 30));
        var f = state.Current!;
        foreach (var minutes in new[] { 1, 5, 10 })
        {
            Assert.Equal(30, f.RollingMean(SensorChannel.AvgSurfaceTemp, minutes));
            Assert.Equal(0, f.RollingStd(SensorChannel.AvgSurfaceTemp, minutes));
        }
    }

    [Fact]
    public void Deltas_and_temperature_rates_use_the_previous_reading()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, tempC: 30));
        Assert.Equal(0, state.Current!.Get("Delta_Module_Avg_Surface_Temp_C"));
        state.Apply(TestReadings.At(4, tempC: 32));
        var f = state.Current!;
        Assert.Equal(2, f.Get("Delta_Module_Avg_Surface_Temp_C"), 5);
        Assert.Equal(0.5, f.Get("Rate_Module_Avg_Surface_Temp_C_per_s"), 5);
        Assert.Equal(1, f.Get("Surface_Spread_Max_minus_Avg_C"), 5);
        Assert.Equal(10, f.Get("Surface_Avg_minus_Ambient_C"), 5);
    }

    [Fact]
    public void State_stays_well_under_16_kilobytes()
    {
        Assert.InRange(ModuleFeatureState.ApproximateBytes, 1, 14 * 1024);
    }

    private static void AssertStats(List<double> samples, float mean, float std, string what)
    {
        var naiveMean = samples.Average();
        var naiveStd = Math.Sqrt(samples.Sum(x => (x - naiveMean) * (x - naiveMean)) / samples.Count);
        AssertClose(naiveMean, mean, what + " mean");
        AssertClose(naiveStd, std, what + " std");
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        // Features are float32, so allow float rounding of the result (6e-8) well inside 1e-6 relative.
        var tolerance = Math.Max(Math.Abs(expected) * 1e-6, 1e-9);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual}");
    }
}
