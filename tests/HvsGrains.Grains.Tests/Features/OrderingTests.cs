using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.Features;

public class OrderingTests
{
    [Fact]
    public void Late_and_duplicate_readings_are_counted_and_ignored()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0, tempC: 25));
        state.Apply(TestReadings.At(10, tempC: 26));
        var before = state.Current!;

        Assert.Equal(ApplyOutcome.Late, state.Apply(TestReadings.At(5, tempC: 90)));
        Assert.Equal(ApplyOutcome.Duplicate, state.Apply(TestReadings.At(10, tempC: 90)));
        Assert.Equal(ApplyOutcome.Late, state.Apply(TestReadings.At(9.999, tempC: 90)));

        Assert.Same(before, state.Current);
        Assert.Equal(new FeatureCounters(2, 2, 1, 0, 0, 0, 0), state.Counters);

        state.Apply(TestReadings.At(11, tempC: 26));
        Assert.Equal((25 + 26 + 26) / 3.0, state.Current!.RollingMean(Grains.Readings.SensorChannel.AvgSurfaceTemp, 1), 4);
    }

    [Fact]
    public void Timestamps_compare_in_utc_whatever_the_offset()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        var reading = TestReadings.At(0);
        state.Apply(reading);
        var sameInstant = reading with { Timestamp = reading.Timestamp.ToOffset(TimeSpan.FromHours(2)) };
        Assert.Equal(ApplyOutcome.Duplicate, state.Apply(sameInstant));
    }
}
