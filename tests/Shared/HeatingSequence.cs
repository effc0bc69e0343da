namespace HvsGrains.Tests.Shared;

/// <summary>
/// A synthetic module heating towards runaway: flat for ten minutes, then the surface climbs ever
/// faster while off-gas builds up — the shape the hazard rules must catch. One reading every 10 s.
/// </summary>
public static class HeatingSequence
{
    public static List<object> Readings(string moduleId, string rackId, DateTimeOffset start, int count, int heatingFrom = 60)
    {
        var readings = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var minutesHeating = Math.Max(0, i - heatingFrom) / 6.0;
            var temperature = 28 + (2 * minutesHeating) + (0.9 * minutesHeating * minutesHeating);
            var gas = minutesHeating < 4 ? 0 : 40 * (minutesHeating - 4) * (minutesHeating - 4);
            readings.Add(Normal(moduleId, rackId, start.AddSeconds(10 * i), temperature, gas));
        }

        return readings;
    }

    public static object Normal(string moduleId, string rackId, DateTimeOffset at, double temperature = 27, double gas = 0) => new
    {
        moduleId,
        rackId,
        timestamp = at.ToString("O"),
        voltageV = 51.2,
        currentA = 12.0,
        socPercent = 62.0,
        avgSurfaceTempC = temperature - 1,
        maxSurfaceTempC = temperature,
        ambientTempC = 24.0,
        coPpm = 2 + gas,
        h2Ppm = 1 + (gas / 2),
        vocPpm = 0.5 + (gas / 4),
    };
}
