using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Features;

public class ImputationTests
{
    [Fact]
    public void Missing_value_is_forward_filled_from_the_last_good_value()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, tempC: 31.5));
        state.Apply(TestReadings.At(1, tempC: 32.5) with { AvgSurfaceTempC = null, H2Ppm = null });

        var f = state.Current!;
        Assert.Equal(31.5f, f.Value(SensorChannel.AvgSurfaceTemp));
        Assert.Equal(0.5f, f.Value(SensorChannel.H2));
        Assert.Equal(33.5f, f.Value(SensorChannel.MaxSurfaceTemp));
        Assert.True(f.IsImputed(SensorChannel.AvgSurfaceTemp));
        Assert.True(f.IsImputed(SensorChannel.H2));
        Assert.False(f.IsImputed(SensorChannel.MaxSurfaceTemp));
        Assert.Equal(2, state.Counters.ImputedValues);
        Assert.Equal(0, state.Counters.DefaultedValues);
        Assert.Equal(0f, f.Get("Delta_Module_Avg_Surface_Temp_C"));
    }

    [Fact]
    public void Channel_that_never_reported_uses_its_default_and_is_not_observed()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0) with { AmbientTempC = null, VoltageV = null });

        var f = state.Current!;
        Assert.Equal(25f, f.Value(SensorChannel.AmbientTemp));
        Assert.Equal(0f, f.Value(SensorChannel.Voltage));
        Assert.False(f.IsObserved(SensorChannel.AmbientTemp));
        Assert.False(f.IsObserved(SensorChannel.Voltage));
        Assert.True(f.IsObserved(SensorChannel.AvgSurfaceTemp));
        Assert.Equal(2, state.Counters.DefaultedValues);

        // Once it reports, the first value is taken as is: no spike filter against the default.
        state.Apply(TestReadings.At(1) with { AmbientTempC = 300 });
        Assert.Equal(300f, state.Current!.Value(SensorChannel.AmbientTemp));
        Assert.True(state.Current!.IsObserved(SensorChannel.AmbientTemp));
    }

    [Fact]
    public void Reading_for_another_module_is_refused()
    {
        var state = new ModuleFeatureState("Other");
        Assert.Throws<ArgumentException>(() => state.Apply(TestReadings.At(0)));
    }
}
