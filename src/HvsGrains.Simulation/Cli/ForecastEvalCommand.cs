using System.CommandLine;
using System.Globalization;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Evaluation;

namespace HvsGrains.Simulation.Cli;

/// <summary><c>forecast-eval --out REPORT.md [--size small|medium|full] [--scenarios …] [--seed 7]</c></summary>
internal static class ForecastEvalCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Markdown report to write", Required = true };
        var size = new Option<string>("--size") { Description = "Preset: small, medium, full", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "medium", "full");
        var scenarios = new Option<string?>("--scenarios") { Description = "Override the preset, e.g. faults:52,benign:24,fault-hours:6,benign-hours:6" };
        var seed = new Option<ulong>("--seed") { Description = "Catalogue seed; training uses 0, so the default 7 is held out", DefaultValueFactory = _ => 7 };
        var settings = new Option<string[]>("--set") { Description = "Override a forecast option, e.g. --set SettlingMinutes=30 (names of Hvs:Forecast)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("forecast-eval", "Run the modules' max-surface forecast over held-out scenarios and report its error at 5, 15 and 30 min and its time-to-threshold error in runaways.")
        {
            output, size, scenarios, seed, settings,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var selection = ScenarioSelection.Preset(parse.GetValue(size)!);
            if (parse.GetValue(scenarios) is { } text)
            {
                selection = ScenarioSelection.Parse(text, selection);
            }

            var options = new ForecastOptions();
            foreach (var assignment in parse.GetValue(settings) ?? [])
            {
                Set(options, assignment);
            }

            if (options.Validate() is { Count: > 0 } errors)
            {
                throw new ArgumentException(string.Join(" ", errors));
            }

            var thresholds = new HazardRuleOptions().MaxSurfaceTempC;
            var run = new ForecastRun(new SurfaceForecaster(options, thresholds), new SurfaceForecaster(LinearOf(options), thresholds));
            var results = new List<ScenarioForecasts>();
            foreach (var spec in selection.Specs(parse.GetValue(seed)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                results.Add(run.Run(spec, TimeSpan.FromSeconds(10)));
                if (results.Count % 10 == 0)
                {
                    Console.Error.WriteLine($"[forecast-eval] {results.Count} scenarios");
                }
            }

            var setting = string.Create(CultureInfo.InvariantCulture,
                $"Scenarios {selection} with catalogue seed {parse.GetValue(seed)} (training and the forecast's calibration use 0); 10 s sampling; default `Hvs:Forecast` options (fit over {options.FitMinutes} min of per-minute means, curvature span {options.CurvatureSpanC} °C, settling time {options.SettlingMinutes} min, growth cap {options.MaxGrowthPerMin}/min, rate drift {options.RateDriftCPerMin} °C/min, noise floor {options.NoiseFloorC} °C, {options.Coverage:P0} interval) and the default max-surface thresholds ({thresholds.Watch} / {thresholds.Warning} / {thresholds.Critical} °C). Evaluated: every module of a benign scenario; the faulted module of a fault scenario, forecasts issued before its point of no return and held against readings up to it. A forecast is issued once a minute of sensor time per module.");
            var report = ForecastReport.Write(results, CommandLine(), setting, options.Coverage);
            File.WriteAllText(parse.GetValue(output)!, report);
            Console.WriteLine(report);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Sets one numeric option by its configuration name (Name=Value).</summary>
    private static void Set(ForecastOptions options, string setting)
    {
        var parts = setting.Split('=', 2, StringSplitOptions.TrimEntries);
        var property = parts.Length == 2 ? typeof(ForecastOptions).GetProperty(parts[0]) : null;
        if (property is null || property.PropertyType == typeof(bool))
        {
            throw new ArgumentException($"--set {setting}: expected Name=Value with a numeric option of Hvs:Forecast.");
        }

        property.SetValue(options, Convert.ChangeType(parts[1], property.PropertyType, CultureInfo.InvariantCulture));
    }

    /// <summary>The same options with the rate held constant: an infinite curvature span shrinks the rate's dependence on temperature to 0.</summary>
    internal static ForecastOptions LinearOf(ForecastOptions options) => options with { CurvatureSpanC = 1e6, SettlingMinutes = 0 };

    private static string CommandLine() =>
        "dotnet run -c Release --project src/HvsGrains.Simulation -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
}
