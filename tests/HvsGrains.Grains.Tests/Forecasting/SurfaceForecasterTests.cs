using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Tests.Forecasting;

public sealed class SurfaceForecasterTests
{
    private static readonly DateTimeOffset Start = TestReadings.Start;
    private static readonly LevelThresholds Surface = new HazardRuleOptions().MaxSurfaceTempC;

    /// <summary>Readings every 10 s for <paramref name="minutes"/>, the surface following <paramref name="at"/> (minutes → °C) plus a fixed ±0.1 °C wobble.</summary>
    private static (SurfaceMinutes Minutes, DateTimeOffset Last) Feed(int minutes, Func<double, double> at, int capacity = 11)
    {
        var ring = new SurfaceMinutes(capacity);
        var last = Start;
        for (var i = 0; i <= minutes * 6; i++)
        {
            last = Start.AddSeconds(10 * i);
            ring.Observe(last, at(i / 6.0) + (i % 2 == 0 ? 0.1 : -0.1));
        }

        return (ring, last);
    }

    private static SurfaceForecaster Forecaster(ForecastOptions? options = null) => new(options ?? new ForecastOptions(), Surface);

    [Fact]
    public void A_steady_module_forecasts_its_own_temperature_and_no_time_to_any_threshold()
    {
        var (ring, last) = Feed(12, _ => 30);

        var result = Forecaster().Forecast(ring, last)!;

        Assert.Equal(SurfaceTrend.Steady, result.Forecast.Trend);
        Assert.Equal([5, 10, 15, 20, 25, 30], result.Forecast.Points.Select(p => p.Minutes));
        Assert.All(result.Forecast.Points, p => Assert.InRange(p.ExpectedC, 29.7, 30.3));
        Assert.All(result.Forecast.Points, p => Assert.True(p.LowC < 30 && p.HighC > 30 && p.HighC - p.LowC < 6, $"{p.LowC}..{p.HighC}"));
        Assert.Equal([HazardLevel.Watch, HazardLevel.Warning, HazardLevel.Critical], result.Thresholds.Select(t => t.Level));
        Assert.All(result.Thresholds, t => Assert.Equal((false, (double?)null, "MaxSurfaceTempC"), (t.Reached, t.Minutes, t.Rule)));
    }

    [Fact]
    public void A_module_rising_1_degree_a_minute_is_expected_at_Watch_in_about_a_quarter_hour_and_its_interval_widens()
    {
        var (ring, last) = Feed(12, m => 30 + m); // 42 °C now

        var result = Forecaster().Forecast(ring, last)!;

        Assert.Equal(SurfaceTrend.Rising, result.Forecast.Trend);
        Assert.InRange(result.Forecast.RateCPerMin, 0.8, 1.2);
        Assert.InRange(result.Forecast.Points[0].ExpectedC, 45.5, 47.5); // 47 on a straight line; damped a little
        var watch = result.Thresholds.Single(t => t.Level == HazardLevel.Watch);
        Assert.InRange(watch.Minutes!.Value, 12, 18);
        Assert.Equal(last.AddMinutes(watch.Minutes.Value), watch.At);
        Assert.True(watch.EarliestMinutes < watch.Minutes);
        var widths = result.Forecast.Points.Select(p => p.HighC - p.LowC).ToList();
        Assert.Equal(widths.Order(), widths);
    }

    [Fact]
    public void Self_heating_that_accelerates_is_forecast_hotter_and_sooner_at_Warning_than_by_a_straight_line()
    {
        // Arrhenius-like: the rise rate grows e-fold every 6 °C (°C/min = 0.5·e^((T−40)/6)), integrated exactly: 55 °C after 11 min.
        static double Arrhenius(double m) => 40 - (6 * Math.Log(1 - (0.5 * m / 6)));
        var (ring, last) = Feed(11, Arrhenius);
        var straight = new ForecastOptions { CurvatureSpanC = 1e6, SettlingMinutes = 0 };

        var fitted = Forecaster().Forecast(ring, last)!;
        var linear = Forecaster(straight).Forecast(ring, last)!;

        Assert.True(SurfaceTrend.Accelerating == fitted.Forecast.Trend, fitted.Forecast.ToString());
        Assert.True(fitted.Forecast.RateGrowthPerMin > 0.05, $"growth {fitted.Forecast.RateGrowthPerMin}");
        Assert.True(fitted.Forecast.Points[2].ExpectedC > linear.Forecast.Points[2].ExpectedC + 5);
        var warning = fitted.Thresholds.Single(t => t.Level == HazardLevel.Warning).Minutes!.Value;
        var linearWarning = linear.Thresholds.Single(t => t.Level == HazardLevel.Warning).Minutes!.Value;
        Assert.True(warning < linearWarning, $"{warning} vs {linearWarning}");
        Assert.True(fitted.Forecast.Points[^1].ExpectedC <= new ForecastOptions().CeilingC);
    }

    [Fact]
    public void A_surface_cooling_after_a_rise_settles_instead_of_falling_without_bound()
    {
        var (ring, last) = Feed(14, m => m < 4 ? 40 + (3 * m) : 52 - (0.8 * (m - 4)) - (0.2 * (m - 4) * (m - 4) / 10)); // heated, now cooling

        var result = Forecaster().Forecast(ring, last)!;

        Assert.Equal(SurfaceTrend.Falling, result.Forecast.Trend);
        Assert.True(result.Forecast.RateGrowthPerMin < 0, $"growth {result.Forecast.RateGrowthPerMin}");
        Assert.All(result.Forecast.Points, p => Assert.True(p.LowC <= p.ExpectedC && p.ExpectedC <= p.HighC, p.ToString()));
        Assert.InRange(result.Forecast.Points[^1].ExpectedC, 15, result.Forecast.CurrentC - 5);
        Assert.All(result.Thresholds, t => Assert.Null(t.Minutes));
    }

    [Fact]
    public void A_surface_already_above_Watch_says_reached()
    {
        var (ring, last) = Feed(8, m => 60 + (0.5 * m));

        var result = Forecaster().Forecast(ring, last)!;

        var watch = result.Thresholds.Single(t => t.Level == HazardLevel.Watch);
        Assert.True(watch.Reached);
        Assert.Equal(0, watch.Minutes);
        Assert.NotNull(result.Thresholds.Single(t => t.Level == HazardLevel.Warning).Minutes);
    }

    [Fact]
    public void Under_five_minutes_of_readings_gives_no_forecast()
    {
        var (ring, last) = Feed(3, m => 30 + m);

        Assert.Null(Forecaster().Forecast(ring, last));
    }

    [Fact]
    public void The_snapshot_restores_the_same_forecast_and_older_readings_are_ignored()
    {
        var (ring, last) = Feed(12, m => 30 + m);
        var restored = SurfaceMinutes.FromSnapshot(ring.ExportSnapshot(), 11);
        restored.Observe(last.AddMinutes(-3), 99); // a replayed, older reading

        Assert.Equal(Forecaster().Forecast(ring, last)!.Forecast, Forecaster().Forecast(restored, last)!.Forecast, new ForecastComparer());
        Assert.Equal(last, restored.LastTimestamp);
    }

    [Fact]
    public void Options_that_make_no_sense_are_named()
    {
        var errors = new ForecastOptions { Coverage = 1.5, StepMinutes = 0, FitMinutes = 2 }.Validate();

        Assert.Contains(errors, e => e.Contains("Hvs:Forecast:Coverage", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Hvs:Forecast:StepMinutes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Hvs:Forecast:FitMinutes", StringComparison.Ordinal));
        Assert.Empty(new ForecastOptions().Validate());
    }

    private sealed class ForecastComparer : IEqualityComparer<SurfaceForecast>
    {
        public bool Equals(SurfaceForecast? x, SurfaceForecast? y) =>
            x is not null && y is not null && x with { Points = [] } == y with { Points = [] } && x.Points.SequenceEqual(y.Points);

        public int GetHashCode(SurfaceForecast obj) => obj.IssuedAt.GetHashCode();
    }
}
