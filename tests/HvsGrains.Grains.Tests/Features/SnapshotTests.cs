using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.Features;

public class SnapshotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(333)]
    [InlineData(799)]
    public void Snapshot_plus_replay_equals_uninterrupted_processing(int crashAfter)
    {
        var readings = MessyReadings(800, seed: 5);
        var uninterrupted = new ModuleFeatureState(TestReadings.Module);
        var expected = readings.Select(r => { uninterrupted.Apply(r); return uninterrupted.Current?.Values.ToArray(); }).ToList();

        var before = new ModuleFeatureState(TestReadings.Module);
        foreach (var r in readings.Take(crashAfter))
        {
            before.Apply(r);
        }

        var json = JsonSerializer.Serialize(before.ExportSnapshot(), JsonSerializerOptions.Web);
        var restored = ModuleFeatureState.FromSnapshot(JsonSerializer.Deserialize<ModuleFeatureSnapshot>(json, JsonSerializerOptions.Web)!);
        if (crashAfter > 0)
        {
            Assert.Equal(expected[crashAfter - 1], restored.Current!.Values.ToArray());
        }

        for (var i = crashAfter; i < readings.Count; i++)
        {
            restored.Apply(readings[i]);
            Assert.Equal(expected[i], restored.Current?.Values.ToArray());
        }

        Assert.Equal(uninterrupted.Counters, restored.Counters);
        Assert.Equal(uninterrupted.LastTimestamp, restored.LastTimestamp);
    }

    [Fact]
    public void Snapshot_from_other_feature_code_is_refused()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0));
        var snapshot = state.ExportSnapshot() with { SchemaHash = "0000" };
        Assert.Throws<InvalidOperationException>(() => ModuleFeatureState.FromSnapshot(snapshot));
    }

    /// <summary>Irregular intervals, gaps, missing values, spikes, a late and a duplicate reading.</summary>
    private static List<SensorReading> MessyReadings(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<SensorReading>();
        var t = 0.0;
        for (var i = 0; i < count; i++)
        {
            t += random.Next(10) == 0 ? 120 : 0.5 + (random.NextDouble() * 9.5);
            var r = TestReadings.At(t, tempC: 25 + (i * 0.05) + random.NextDouble(), voltage: 800 + random.NextDouble());
            if (random.Next(7) == 0)
            {
                r = r with { AvgSurfaceTempC = null, CoPpm = null };
            }

            if (random.Next(25) == 0)
            {
                r = r with { MaxSurfaceTempC = 900 };
            }

            list.Add(r);
            if (random.Next(40) == 0)
            {
                list.Add(r with { Timestamp = r.Timestamp.AddSeconds(-3) });
                list.Add(r);
            }
        }

        return list;
    }
}
