using System.Text.Json;
using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.Features;

/// <summary>When a module's windows hold a full span of readings (the moment its anomaly score is judged).</summary>
public sealed class WindowsFullTests
{
    [Fact]
    public void Windows_are_full_ten_minutes_after_the_first_reading_and_empty_again_after_a_break_longer_than_a_minute()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        Assert.False(state.WindowsFull);
        for (var s = 0; s < 600; s += 10)
        {
            state.Apply(TestReadings.At(s));
            Assert.False(state.WindowsFull, $"full after {s} s");
        }

        state.Apply(TestReadings.At(600));
        Assert.True(state.WindowsFull);
        state.Apply(TestReadings.At(660)); // 60 s apart: still one run
        Assert.True(state.WindowsFull);

        state.Apply(TestReadings.At(721)); // 61 s: the 1-minute window holds one reading again
        Assert.False(state.WindowsFull);
        for (var s = 731; s < 721 + 600; s += 10)
        {
            state.Apply(TestReadings.At(s));
            Assert.False(state.WindowsFull, $"full after {s} s");
        }

        state.Apply(TestReadings.At(721 + 600));
        Assert.True(state.WindowsFull);
    }

    [Fact]
    public void A_snapshot_keeps_the_run_and_one_written_before_runs_were_kept_starts_one_at_its_last_reading()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var s = 0; s <= 600; s += 10)
        {
            state.Apply(TestReadings.At(s));
        }

        var snapshot = JsonSerializer.Deserialize<ModuleFeatureSnapshot>(JsonSerializer.Serialize(state.ExportSnapshot(), JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;
        Assert.True(ModuleFeatureState.FromSnapshot(snapshot).WindowsFull);

        var older = ModuleFeatureState.FromSnapshot(snapshot with { RunStartTicks = null });
        Assert.False(older.WindowsFull);
        for (var s = 610; s <= 1200; s += 10)
        {
            older.Apply(TestReadings.At(s));
        }

        Assert.True(older.WindowsFull);
    }
}
