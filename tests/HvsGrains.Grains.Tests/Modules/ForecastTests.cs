using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.Modules;

/// <summary>The module grain's status carries the max-surface forecast and the time to the rule's thresholds.</summary>
[Collection(SingleSiloCollection.Name)]
public sealed class ForecastTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task A_heating_module_forecasts_a_rise_and_a_time_to_Warning_while_a_steady_one_does_not()
    {
        var rack = TestReadings.NewRack();
        var heating = TestReadings.ModuleOf(rack, 1);
        var steady = TestReadings.ModuleOf(rack, 2);
        // 12 minutes at 10 s: one surface climbs ever faster from 35 °C (0.8 °C/min, +0.05 °C/min per minute), the other holds 27 °C.
        var readings = Enumerable.Range(0, 73).SelectMany(i => new[]
        {
            TestReadings.At(i * 10, tempC: 35 + (0.8 * i / 6.0) + (0.025 * (i / 6.0) * (i / 6.0)), module: heating, rack: rack),
            TestReadings.At(i * 10, tempC: 26 + (i % 2 * 0.2), module: steady, rack: rack),
        }).ToList();
        await cluster.IngestAsync(readings);
        var heatingGrain = cluster.Grains.GetGrain<IModuleGrain>(heating);
        var steadyGrain = cluster.Grains.GetGrain<IModuleGrain>(steady);
        Assert.True(await Eventually.HoldsAsync(async () => (await heatingGrain.GetStatus())?.DataQuality.AppliedReadings == 73
            && (await steadyGrain.GetStatus())?.DataQuality.AppliedReadings == 73));

        var hot = (await heatingGrain.GetStatus())!;
        var forecast = hot.Forecast!;
        Assert.Equal(readings[^2].Timestamp, forecast.IssuedAt);
        Assert.Contains(forecast.Trend, new[] { SurfaceTrend.Rising, SurfaceTrend.Accelerating });
        var expected = forecast.Points.Select(p => p.ExpectedC).ToList();
        Assert.Equal(expected.Order(), expected);
        Assert.True(expected[^1] > forecast.CurrentC + 15, $"30-min forecast {expected[^1]} from {forecast.CurrentC}");
        var warning = hot.TimeToThresholds!.Single(t => t.Level == HazardLevel.Warning);
        Assert.Equal(80, warning.ThresholdC);
        Assert.InRange(warning.Minutes!.Value, 10, 60);

        var calm = (await steadyGrain.GetStatus())!;
        Assert.Equal(SurfaceTrend.Steady, calm.Forecast!.Trend);
        Assert.All(calm.Forecast.Points, p => Assert.InRange(p.ExpectedC, 26, 28));
        Assert.All(calm.TimeToThresholds!, t => Assert.Null(t.Minutes));
    }
}
