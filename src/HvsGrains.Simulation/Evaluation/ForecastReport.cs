using System.Globalization;
using System.Text;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Simulation.Evaluation;

/// <summary>Writes the forecast evaluation: error and interval coverage per scenario kind and horizon, and time-to-threshold errors in runaways.</summary>
public static class ForecastReport
{
    private static readonly (string Label, double From, double To)[] TimeToGo = [("≤ 5 min", 0, 5), ("5–15 min", 5, 15), ("15–30 min", 15, 30), ("30–60 min", 30, 60)];

    public static string Write(IReadOnlyList<ScenarioForecasts> runs, string commandLine, string setting, double coverage)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var kinds = runs.GroupBy(r => r.Kind).OrderBy(g => Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Kind: g.Key, Runs: g.Count(), Tally: Merge(g))).ToList();
        var all = Merge(runs);
        var text = new StringBuilder();
        Line(text, "# Forecast of the hottest surface, evaluated on held-out simulated scenarios");
        Line(text);
        Line(text, $"Produced by `{commandLine}`.");
        Line(text);
        Line(text, setting);
        Line(text);
        Line(text, $"## Error of the deployed forecast ({ForecastRun.Method}) at 5, 15 and 30 minutes");
        Line(text);
        Line(text, $"MAE and bias (forecast − reading) in °C against the cleaned max-surface reading at that time; coverage: share of readings inside the {coverage:P0} interval; width: mean interval width at 30 min.");
        Line(text);
        Line(text, "| scenarios | runs | forecasts | MAE 5 min | MAE 15 min | MAE 30 min | bias 30 min | coverage 5 / 15 / 30 min | width 30 min |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var (kind, count, tally) in kinds.Append(("**all**", runs.Count, all)))
        {
            var e = ForecastRun.Horizons.Select(h => tally.At(ForecastRun.Method, h)).ToArray();
            Line(text, $"| {kind} | {count} | {tally.Forecasts} | {C(e[0].MeanAbsolute)} | {C(e[1].MeanAbsolute)} | {C(e[2].MeanAbsolute)} | {C(e[2].Bias)} | {P(e[0].Coverage)} / {P(e[1].Coverage)} / {P(e[2].Coverage)} | {C(e[2].MeanWidth)} |");
        }

        Line(text);
        Line(text, "## Against simpler forecasts (MAE in °C at 5 / 15 / 30 min)");
        Line(text);
        Line(text, $"*persistence*: the latest reading stays; *{ForecastRun.LinearMethod}*: the same fit with the rate held constant (no dependence on temperature).");
        Line(text);
        Line(text, $"| scenarios | {ForecastRun.PersistenceMethod} | {ForecastRun.LinearMethod} | {ForecastRun.Method} |");
        Line(text, "|---|---|---|---|");
        foreach (var (kind, _, tally) in kinds.Append(("**all**", runs.Count, all)))
        {
            Line(text, $"| {kind} | {Maes(tally, ForecastRun.PersistenceMethod)} | {Maes(tally, ForecastRun.LinearMethod)} | {Maes(tally, ForecastRun.Method)} |");
        }

        Line(text);
        Line(text, "## Time to each max-surface threshold in runaways");
        Line(text);
        Line(text, "Every forecast issued before the faulted module's point of no return while its surface was still below the threshold (Hvs:HazardRules:MaxSurfaceTempC Watch / Warning / Critical), grouped by the time it really took. *given*: share of forecasts that gave a time (the module was rising and expected to reach the threshold within the look-ahead); *MAE* and *median error* (estimate − actual, negative = early) of the times given; *earliest held*: share where the threshold was not reached before the interval's earliest time.");
        Line(text);
        Line(text, "| threshold | method | actual time to go | forecasts | given | MAE (min) | median error (min) | earliest held |");
        Line(text, "|---|---|---|---:|---:|---:|---:|---:|");
        var estimates = all.Thresholds;
        foreach (var level in new[] { HazardLevel.Watch, HazardLevel.Warning, HazardLevel.Critical })
        {
            foreach (var method in new[] { ForecastRun.Method, ForecastRun.LinearMethod })
            {
                foreach (var (label, from, to) in TimeToGo)
                {
                    var rows = estimates.Where(e => e.Level == level && e.Method == method && e.ActualMinutes > from && e.ActualMinutes <= to).ToList();
                    if (from == 0)
                    {
                        rows = [.. estimates.Where(e => e.Level == level && e.Method == method && e.ActualMinutes <= to)];
                    }

                    if (rows.Count == 0)
                    {
                        continue;
                    }

                    var given = rows.Where(r => r.EstimatedMinutes is not null).ToList();
                    var errors = given.Select(r => r.EstimatedMinutes!.Value - r.ActualMinutes).Order().ToList();
                    var earliest = rows.Count(r => r.EarliestMinutes is { } e && e <= r.ActualMinutes);
                    Line(text, $"| {level} | {method} | {label} | {rows.Count} | {P((double)given.Count / rows.Count)} | {M(errors.Count == 0 ? double.NaN : errors.Average(Math.Abs))} | {M(Median(errors))} | {P((double)earliest / rows.Count)} |");
                }
            }
        }

        return text.ToString();
    }

    private static ForecastTally Merge(IEnumerable<ScenarioForecasts> runs)
    {
        var tally = new ForecastTally();
        foreach (var run in runs)
        {
            tally.Merge(run.Tally);
        }

        return tally;
    }

    private static int Order(string kind) => kind.StartsWith("normal", StringComparison.Ordinal) ? 0 : kind.StartsWith("look-alike", StringComparison.Ordinal) ? 1 : 2;

    private static string Maes(ForecastTally tally, string method) =>
        string.Join(" / ", ForecastRun.Horizons.Select(h => C(tally.At(method, h).MeanAbsolute)));

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string C(double v) => double.IsNaN(v) ? "–" : v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string M(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string P(double v) => double.IsNaN(v) ? "–" : v.ToString("0%", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line = "") => text.Append(line).Append('\n');
}
