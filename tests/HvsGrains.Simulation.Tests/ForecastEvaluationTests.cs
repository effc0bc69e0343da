using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Simulation.Evaluation;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

/// <summary>The forecast evaluator: its arithmetic, and a short normal and a runaway scenario through it.</summary>
public sealed class ForecastEvaluationTests
{
    [Fact]
    public void Errors_count_absolute_error_bias_and_coverage()
    {
        var errors = new HorizonErrors();
        errors.Add(predicted: 31, actual: 30, low: 29, high: 32); // +1, covered
        errors.Add(predicted: 30, actual: 33, low: 29, high: 32); // −3, not covered

        Assert.Equal((2, 2.0, -1.0, 0.5, 3.0), (errors.Count, errors.MeanAbsolute, errors.Bias, errors.Coverage, errors.MeanWidth));
    }

    [Fact]
    public void A_normal_rack_is_forecast_within_a_degree_and_a_runaway_is_reported_with_its_time_to_thresholds()
    {
        var thresholds = new HazardRuleOptions().MaxSurfaceTempC;
        var run = new ForecastRun(new SurfaceForecaster(new ForecastOptions(), thresholds),
            new SurfaceForecaster(new ForecastOptions { CurvatureSpanC = 1e6, SettlingMinutes = 0 }, thresholds));
        var normal = new ScenarioSpec { Id = "normal", Chemistry = Chemistry.Nmc, Fault = FaultType.None, Duration = TimeSpan.FromHours(1), Seed = 3, RackSize = 3 };
        var runaway = new ScenarioSpec
        {
            Id = "heated",
            Chemistry = Chemistry.Nmc,
            Fault = FaultType.ExternalHeating,
            Severity = 3,
            InitialSoc = 0.9,
            Seed = 5,
            RackSize = 3,
            FaultModule = 1,
            FaultStart = TimeSpan.FromMinutes(20),
            Duration = TimeSpan.FromHours(3),
        };

        var quiet = run.Run(normal, TimeSpan.FromSeconds(10));
        var fault = run.Run(runaway, TimeSpan.FromSeconds(10));

        Assert.Equal(("normal", false), (quiet.Kind, quiet.Runaway));
        var fiveMinutes = quiet.Tally.At(ForecastRun.Method, 5);
        Assert.True(fiveMinutes.Count > 100, $"{fiveMinutes.Count} forecasts");
        Assert.True(fiveMinutes.MeanAbsolute < 1, $"MAE {fiveMinutes.MeanAbsolute}");
        Assert.InRange(fiveMinutes.Coverage, 0.5, 1);
        Assert.Equal(("fault: ExternalHeating, runaway", true), (fault.Kind, fault.Runaway));
        Assert.Contains(fault.Tally.Thresholds, t => t.Level == HazardLevel.Warning && t.Method == ForecastRun.Method && t.EstimatedMinutes is not null);

        var report = ForecastReport.Write([quiet, fault], "hvs-sim forecast-eval --test", "Two scenarios.", 0.9);
        Assert.Contains("| normal | 1 |", report, StringComparison.Ordinal);
        Assert.Contains("| fault: ExternalHeating, runaway | 1 |", report, StringComparison.Ordinal);
        Assert.Contains("| Warning | rate-vs-temperature |", report, StringComparison.Ordinal);
        Assert.Contains("Produced by `hvs-sim forecast-eval --test`", report, StringComparison.Ordinal);
    }
}
