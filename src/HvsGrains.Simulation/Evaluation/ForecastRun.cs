using HvsGrains.Grains.Features;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Evaluation;

/// <summary>One scenario's forecasts: whether its faulted module ran away (reached its point of no return) and the tally.</summary>
public sealed record ScenarioForecasts(ScenarioSpec Spec, bool Runaway, ForecastTally Tally)
{
    /// <summary>The row of the report: normal, a look-alike, or a fault with or without runaway.</summary>
    public string Kind => Spec.Fault switch
    {
        FaultType.None => "normal",
        var f when f.IsBenign() => $"look-alike: {f}",
        var f => $"fault: {f}, {(Runaway ? "runaway" : "no runaway")}",
    };
}

/// <summary>
/// Runs one scenario through what a module grain runs for its forecast: the front door's validator, the module's
/// <see cref="ModuleFeatureState"/> (imputation and spike clipping), its <see cref="SurfaceMinutes"/> and the
/// <see cref="SurfaceForecaster"/>. Once a minute of sensor time each evaluated module issues a forecast, which is
/// later held against the (cleaned) reading it forecast. Evaluated: the faulted module of a fault scenario up to
/// its point of no return, every module of a benign one.
/// </summary>
public sealed class ForecastRun(SurfaceForecaster forecaster, SurfaceForecaster linear)
{
    public const string Method = "rate-vs-temperature";
    public const string LinearMethod = "linear trend";
    public const string PersistenceMethod = "persistence";

    /// <summary>Horizons reported, minutes.</summary>
    public static readonly int[] Horizons = [5, 15, 30];

    private readonly ReadingValidator _validator = new();
    private readonly SurfaceForecaster _forecaster = forecaster;
    private readonly SurfaceForecaster _linear = linear;

    public ScenarioForecasts Run(ScenarioSpec spec, TimeSpan sampleInterval)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = new RunnerOptions { SampleInterval = sampleInterval };
        var session = new ScenarioSession(spec, options);
        var modules = spec.Fault.IsBenign() ? Enumerable.Range(0, spec.RackSize).ToArray() : [spec.FaultModule];
        var tracks = modules.Select(i => new Track(i, spec.ModuleId(i), _forecaster.HistoryMinutes)).ToArray();
        var samplesPerMinute = (int)Math.Round(60 / sampleInterval.TotalSeconds);
        int cells = session.Chemistry.CellsInSeries;
        foreach (double t in session.SampleTimes())
        {
            var ts = spec.StartTime.AddSeconds(t);
            var air = session.Rack.Air;
            foreach (var track in tracks)
            {
                var reading = session.Sensors[track.Index].Read(in session.Rack.States[track.Index], in air, cells, t, track.Id, spec.RackId, ts);
                track.Add(reading, ts, _validator, track.Series.Count % samplesPerMinute == samplesPerMinute - 1 ? this : null);
            }
        }

        var tally = new ForecastTally();
        var runaway = false;
        foreach (var track in tracks)
        {
            var pnr = session.Rack.States[track.Index].Events.PnrS;
            var pnrSample = double.IsNaN(pnr) ? int.MaxValue : (int)(pnr / sampleInterval.TotalSeconds);
            var faulted = !spec.Fault.IsBenign() && !double.IsNaN(pnr);
            runaway |= faulted;
            track.Score(tally, samplesPerMinute, pnrSample, faulted);
        }

        return new ScenarioForecasts(spec, runaway, tally);
    }

    private sealed class Track(int index, string id, int history)
    {
        private readonly ModuleFeatureState _features = new(id, FeatureOptions.Default);
        private readonly SurfaceMinutes _minutes = new(history);
        private readonly List<Issue> _issues = [];

        public int Index => index;

        public string Id => id;

        /// <summary>The cleaned max surface per sample (NaN: rejected, or the channel imputed).</summary>
        public List<double> Series { get; } = [];

        public void Add(SensorReading reading, DateTimeOffset ts, ReadingValidator validator, ForecastRun? issueWith)
        {
            var value = double.NaN;
            if (validator.Validate(reading, ts).Count == 0 && _features.Apply(reading) == ApplyOutcome.Applied
                && _features.Current is { } vector && !vector.IsImputed(SensorChannel.MaxSurfaceTemp))
            {
                value = vector.Value(SensorChannel.MaxSurfaceTemp);
                _minutes.Observe(ts, value);
            }

            Series.Add(value);
            if (issueWith is not null && !double.IsNaN(value))
            {
                var main = issueWith._forecaster.Forecast(_minutes, ts);
                var line = issueWith._linear.Forecast(_minutes, ts);
                if (main is not null && line is not null)
                {
                    _issues.Add(new Issue(Series.Count - 1, value, main, line));
                }
            }
        }

        public void Score(ForecastTally tally, int samplesPerMinute, int pnrSample, bool runaway)
        {
            foreach (var issue in _issues.Where(i => i.Sample < pnrSample))
            {
                tally.Forecasts++;
                foreach (var h in Horizons)
                {
                    var target = issue.Sample + (h * samplesPerMinute);
                    if (target >= Series.Count || target > pnrSample || double.IsNaN(Series[target]))
                    {
                        continue;
                    }

                    var actual = Series[target];
                    Add(tally.At(Method, h), issue.Main.Forecast, h, actual);
                    Add(tally.At(LinearMethod, h), issue.Linear.Forecast, h, actual);
                    tally.At(PersistenceMethod, h).Add(issue.Value, actual, issue.Value, issue.Value);
                }

                if (runaway)
                {
                    AddThresholds(tally, issue, samplesPerMinute);
                }
            }
        }

        private void AddThresholds(ForecastTally tally, Issue issue, int samplesPerMinute)
        {
            foreach (var (method, forecast) in new[] { (Method, issue.Main), (LinearMethod, issue.Linear) })
            {
                foreach (var eta in forecast.Thresholds.Where(e => !e.Reached))
                {
                    var crossing = Series.FindIndex(issue.Sample, v => v >= eta.ThresholdC);
                    if (crossing < 0)
                    {
                        continue;
                    }

                    var actual = (double)(crossing - issue.Sample) / samplesPerMinute;
                    if (actual <= 60)
                    {
                        tally.Thresholds.Add(new ThresholdEstimate(method, eta.Level, actual, eta.Minutes, eta.EarliestMinutes));
                    }
                }
            }
        }

        private static void Add(HorizonErrors errors, SurfaceForecast forecast, int minutes, double actual)
        {
            if (forecast.Points.FirstOrDefault(p => p.Minutes == minutes) is { } point)
            {
                errors.Add(point.ExpectedC, actual, point.LowC, point.HighC);
            }
        }

        private sealed record Issue(int Sample, double Value, ModuleForecast Main, ModuleForecast Linear);
    }
}
