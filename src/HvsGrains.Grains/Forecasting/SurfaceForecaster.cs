using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Forecasting;

/// <summary>A module's forecast and, when it rises, when it is expected to reach each of the rule's thresholds.</summary>
public sealed record ModuleForecast(SurfaceForecast Forecast, IReadOnlyList<ThresholdEta> Thresholds);

/// <summary>
/// Forecasts a module's hottest surface from its per-minute means (<see cref="SurfaceMinutes"/>): pure, so the
/// module grain, its tests and the simulator's evaluation (<c>hvs-sim forecast-eval</c>) run the same code.
/// </summary>
public sealed class SurfaceForecaster
{
    private const string Rule = "MaxSurfaceTempC";
    private readonly ForecastOptions _options;
    private readonly (HazardLevel Level, double ThresholdC)[] _thresholds;
    private readonly double _z;
    private readonly double _floorC = ReadingLimits.Default.RangeFor(SensorChannel.MaxSurfaceTemp).Min;

    public SurfaceForecaster(ForecastOptions options, LevelThresholds maxSurfaceTempC)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(maxSurfaceTempC);
        _options = options;
        _thresholds = [.. new[] { HazardLevel.Watch, HazardLevel.Warning, HazardLevel.Critical }
            .Where(l => maxSurfaceTempC.ThresholdOf(l) is not null)
            .Select(l => (l, maxSurfaceTempC.ThresholdOf(l)!.Value))];
        _z = NormalQuantile.Of(0.5 + (options.Coverage / 2));
    }

    public ForecastOptions Options => _options;

    /// <summary>How many minutes a module keeps for the fit: the fit window and the minute in progress.</summary>
    public int HistoryMinutes => _options.FitMinutes + 1;

    /// <summary>The forecast from <paramref name="minutes"/>' means, issued at the latest reading; null with too little history.</summary>
    public ModuleForecast? Forecast(SurfaceMinutes minutes, DateTimeOffset latestReading)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        return Forecast(minutes.Means(_options.FitMinutes), latestReading);
    }

    public ModuleForecast? Forecast(IReadOnlyList<MinuteMean> means, DateTimeOffset latestReading)
    {
        ArgumentNullException.ThrowIfNull(means);
        if (RateFit.Fit(means, _options) is not { } fit)
        {
            return null;
        }

        var points = new List<ForecastPoint>(_options.HorizonMinutes / _options.StepMinutes);
        for (var h = _options.StepMinutes; h <= _options.HorizonMinutes; h += _options.StepMinutes)
        {
            var expected = fit.Expected(h);
            var half = fit.HalfWidth(h, _z, _options.RateDriftCPerMin);
            points.Add(new ForecastPoint(h, latestReading.AddMinutes(h), Cap(expected), Cap(Math.Max(expected - half, _floorC)), Cap(expected + half)));
        }

        var rate = fit.Rate + (fit.Growth * (fit.Expected(0) - fit.StartC));
        var rising = rate >= _options.RisingCPerMin && rate > _z * fit.RateError;
        var trend = rising
            ? fit.Growth > 2 * fit.GrowthError && fit.Growth > 0 ? SurfaceTrend.Accelerating : SurfaceTrend.Rising
            : rate <= -_options.RisingCPerMin ? SurfaceTrend.Falling : SurfaceTrend.Steady;
        var forecast = new SurfaceForecast(latestReading, Round(fit.Expected(0)), Math.Round(rate, 3), Math.Round(fit.Growth, 4), trend,
            _options.Coverage, Math.Round(fit.HistoryMinutes, 1), points);
        return new ModuleForecast(forecast, [.. _thresholds.Select(t => Eta(fit, t.Level, t.ThresholdC, rising, latestReading))]);
    }

    private ThresholdEta Eta(RateFit fit, HazardLevel level, double threshold, bool rising, DateTimeOffset now)
    {
        if (fit.Expected(0) >= threshold)
        {
            return new ThresholdEta(level, Rule, threshold, true, 0, now, 0);
        }

        var lookahead = _options.ThresholdLookaheadMinutes;
        var minutes = rising ? fit.MinutesTo(threshold) : null;
        minutes = minutes <= lookahead ? Math.Round(minutes.Value, 1) : null;
        return new ThresholdEta(level, Rule, threshold, false, minutes, minutes is { } m ? now.AddMinutes(m) : null,
            rising ? EarliestMinutes(fit, threshold, lookahead) : null);
    }

    /// <summary>First minute (to 0.1 min) the interval's upper end reaches the threshold; a scan because the half-width has no closed inverse.</summary>
    private double? EarliestMinutes(RateFit fit, double threshold, int lookahead)
    {
        for (var h = 0.0; h <= lookahead; h += 0.1)
        {
            if (fit.Expected(h) + fit.HalfWidth(h, _z, _options.RateDriftCPerMin) >= threshold)
            {
                return Math.Round(h, 1);
            }
        }

        return null;
    }

    private double Cap(double celsius) => Round(Math.Min(celsius, _options.CeilingC));

    private static double Round(double celsius) => Math.Round(celsius, 2);
}
