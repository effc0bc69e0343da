using System.ComponentModel;

namespace HvsGrains.Grains.Forecasting;

/// <summary>A module's hottest surface over the next minutes, from the fit of its rise rate against its temperature.</summary>
[GenerateSerializer, Immutable, Alias("hvs.surface-forecast")]
public sealed record SurfaceForecast(
    [property: Id(0), Description("Sensor time of the latest reading; the points count from it.")] DateTimeOffset IssuedAt,
    [property: Id(1), Description("The trend's max surface temperature now, °C (the readings' noise smoothed out).")] double CurrentC,
    [property: Id(2), Description("Rise rate now, °C/min (negative: cooling).")] double RateCPerMin,
    [property: Id(3), Description("How much the rise rate grows per °C of temperature, 1/min: > 0 self-heating accelerates, < 0 the module settles towards an equilibrium.")] double RateGrowthPerMin,
    [property: Id(4), Description("Steady, Rising, Accelerating (rising faster the hotter it gets) or Falling.")] SurfaceTrend Trend,
    [property: Id(5), Description("Share of future readings each interval aims to hold.")] double Coverage,
    [property: Id(6), Description("Minutes of per-minute means the fit used.")] double HistoryMinutes,
    [property: Id(7), Description("Expected max surface temperature and its interval every few minutes up to the horizon.")] IReadOnlyList<ForecastPoint> Points);
