using System.ComponentModel;

namespace HvsGrains.Grains.Forecasting;

/// <summary>The expected hottest surface some minutes ahead, with its prediction interval.</summary>
[GenerateSerializer, Immutable, Alias("hvs.forecast-point")]
public sealed record ForecastPoint(
    [property: Id(0), Description("Minutes after the latest reading.")] int Minutes,
    [property: Id(1), Description("Sensor time of the point.")] DateTimeOffset At,
    [property: Id(2), Description("Expected max surface temperature, °C.")] double ExpectedC,
    [property: Id(3), Description("Lower end of the prediction interval, °C.")] double LowC,
    [property: Id(4), Description("Upper end of the prediction interval, °C.")] double HighC);
