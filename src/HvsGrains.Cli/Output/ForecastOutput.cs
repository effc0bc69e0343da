using System.Globalization;
using HvsGrains.Grains.Modules;

namespace HvsGrains.Cli.Output;

/// <summary>A module's max-surface forecast and its times to the rule's thresholds, as tables.</summary>
public static class ForecastOutput
{
    public static void Write(TextWriter output, ModuleStatus status)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(status);
        output.WriteLine();
        if (status.Forecast is not { } forecast)
        {
            output.WriteLine("Forecast: none (forecasts are off, or the module has under 5 minutes of readings).");
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Forecast of max surface: {forecast.Trend}, {forecast.CurrentC:0.0} °C now, {forecast.RateCPerMin:+0.00;-0.00} °C/min ({forecast.Coverage:P0} interval, from {forecast.HistoryMinutes:0} min of readings)"));
        var points = new Table("IN", "AT", "EXPECTED °C", "LOW °C", "HIGH °C");
        foreach (var p in forecast.Points)
        {
            points.Add($"{p.Minutes} min", p.At, p.ExpectedC, p.LowC, p.HighC);
        }

        points.WriteTo(output);
        if (status.TimeToThresholds is { Count: > 0 } thresholds)
        {
            output.WriteLine();
            var etas = new Table("THRESHOLD", "°C", "EXPECTED IN", "EARLIEST IN");
            foreach (var t in thresholds)
            {
                etas.Add($"{t.Rule} {t.Level}", t.ThresholdC,
                    t.Reached ? "reached" : t.Minutes is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:0.0} min") : "not expected",
                    t.Reached ? "" : t.EarliestMinutes is { } e ? string.Create(CultureInfo.InvariantCulture, $"{e:0.0} min") : "");
            }

            etas.WriteTo(output);
        }
    }
}
