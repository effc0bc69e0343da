using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Features;

public class SpikeFilterTests
{
    [Fact]
    public void One_off_spike_is_clipped_and_baseline_resumes()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var i = 0; i < 120; i++)
        {
            state.Apply(TestReadings.At(i, tempC: 25));
        }

        state.Apply(TestReadings.At(120, tempC: 850));
        var spiked = state.Current!;
        Assert.InRange(spiked.Value(SensorChannel.AvgSurfaceTemp), 25f, 50f);
        Assert.InRange(spiked.Value(SensorChannel.MaxSurfaceTemp), 26f, 50f);
        Assert.Equal(2, state.Counters.ClippedValues);

        state.Apply(TestReadings.At(121, tempC: 25));
        Assert.Equal(25f, state.Current!.Value(SensorChannel.AvgSurfaceTemp));
        Assert.Equal(2, state.Counters.ClippedValues);
        Assert.InRange(state.Current!.RollingMean(SensorChannel.AvgSurfaceTemp, 1), 25f, 26f);
    }

    [Fact]
    public void Downward_dropout_is_clipped_too()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var i = 0; i < 10; i++)
        {
            state.Apply(TestReadings.At(i, tempC: 40));
        }

        state.Apply(TestReadings.At(10, tempC: -40));
        Assert.InRange(state.Current!.Value(SensorChannel.AvgSurfaceTemp), 15f, 40f);
        state.Apply(TestReadings.At(11, tempC: 40));
        Assert.Equal(40f, state.Current!.Value(SensorChannel.AvgSurfaceTemp));
    }

    [Fact]
    public void Genuine_fast_runaway_survives_clipping()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var i = 0; i < 60; i++)
        {
            state.Apply(TestReadings.At(i, tempC: 30));
        }

        // 50 °C/s, faster than the 20 °C/s plausibility limit, for 16 s: 30 → 830 °C.
        var previous = 30f;
        for (var s = 1; s <= 16; s++)
        {
            var raw = 30 + (50 * s);
            state.Apply(TestReadings.At(59 + s, tempC: raw));
            var value = state.Current!.Value(SensorChannel.AvgSurfaceTemp);
            Assert.True(value > previous, $"surface must keep rising at {s} s: {value} after {previous}");
            if (s >= 2)
            {
                Assert.Equal(raw, value);
            }

            previous = value;
        }

        Assert.Equal(2, state.Counters.ClippedValues); // only the first sample of avg and of max surface
    }

    [Fact]
    public void Voltage_collapse_is_never_clipped()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, voltage: 812));
        state.Apply(TestReadings.At(1, voltage: 3));
        Assert.Equal(3f, state.Current!.Value(SensorChannel.Voltage));
        Assert.Equal(809f, state.Current!.VoltageDrop1m);
        Assert.Equal(0, state.Counters.ClippedValues);
    }

    [Fact]
    public void A_large_change_over_a_long_interval_is_plausible()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, tempC: 25));
        state.Apply(TestReadings.At(10, tempC: 180)); // 15.5 °C/s is within the limit
        Assert.Equal(180f, state.Current!.Value(SensorChannel.AvgSurfaceTemp));
        Assert.Equal(0, state.Counters.ClippedValues);
    }
}
