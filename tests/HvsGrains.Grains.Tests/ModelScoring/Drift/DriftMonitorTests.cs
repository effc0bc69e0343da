using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HvsGrains.Grains.Tests.ModelScoring.Drift;

/// <summary>A silo's running distributions: bins per feature, windows that slide by bucket, a new start per model.</summary>
public sealed class DriftMonitorTests : IDisposable
{
    private readonly DataFolder _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Vectors_are_counted_in_their_bins_and_leave_the_short_window_bucket_by_bucket()
    {
        using var models = Manager(BaselineModels.QuarterBins());
        var monitor = Monitor(models);

        monitor.Observe([.. Enumerable.Repeat(BaselineModels.Vector(_ => 5), 3)]); // bin (0, 10]
        _clock.Advance(TimeSpan.FromMinutes(30));
        monitor.Observe([BaselineModels.Vector(f => f == 0 ? 25 : -1)]); // feature 0 in (20, inf), the others in (-inf, 0]

        var report = monitor.Snapshot("silo-a", withBaseline: true);
        var (hour, day) = (report.Windows[0], report.Windows[1]);
        Assert.Equal(("1h", 4L, "24h", 4L), (hour.Window, hour.Readings, day.Window, day.Readings));
        Assert.Equal([0L, 3, 0, 1], hour.Counts[..4]); // feature 0
        Assert.Equal([1L, 3, 0, 0], hour.Counts[20..24]); // feature 1
        Assert.NotNull(report.Baseline);

        // 45 minutes on, the first bucket (5-minute buckets) is out of the hour; the day keeps it.
        _clock.Advance(TimeSpan.FromMinutes(45));
        var later = monitor.Snapshot("silo-a", withBaseline: false);
        Assert.Equal((1L, 4L), (later.Windows[0].Readings, later.Windows[1].Readings));
        Assert.Equal([0L, 0, 0, 1], later.Windows[0].Counts[..4]);
        Assert.Null(later.Baseline);

        // A day later nothing is left, and a slot coming round again starts empty.
        _clock.Advance(TimeSpan.FromHours(24));
        monitor.Observe([BaselineModels.Vector(_ => 15)]);
        var dayLater = monitor.Snapshot("silo-a", withBaseline: false);
        Assert.Equal((1L, 1L), (dayLater.Windows[0].Readings, dayLater.Windows[1].Readings));
        Assert.Equal([0L, 0, 1, 0], dayLater.Windows[1].Counts[..4]);
    }

    [Fact]
    public void A_new_model_starts_its_counts_again()
    {
        using var models = Manager(BaselineModels.QuarterBins());
        var monitor = Monitor(models);
        monitor.Observe([BaselineModels.Vector(_ => 5), BaselineModels.Vector(_ => 5)]);

        models.Upload(BaselineModels.Create("second", BaselineModels.QuarterBins()));
        var report = monitor.Snapshot("silo-a", withBaseline: false);
        Assert.Equal(("second", 0L), (report.ModelVersion, report.Windows[0].Readings));

        monitor.Observe([BaselineModels.Vector(_ => 5)]);
        Assert.Equal(1, monitor.Snapshot("silo-a", withBaseline: false).Windows[1].Readings);
    }

    [Fact]
    public void A_model_without_a_baseline_is_reported_as_such_and_nothing_is_counted()
    {
        using var models = Manager(baseline: null);
        var monitor = Monitor(models);

        monitor.Observe([BaselineModels.Vector(_ => 5)]);

        var report = monitor.Snapshot("silo-a", withBaseline: true);
        Assert.Equal((false, true, 0), (report.HasBaseline, report.Enabled, report.Windows.Count));
    }

    [Fact]
    public void Switched_off_the_scorer_holds_no_monitor_at_all()
    {
        using var models = Manager(BaselineModels.QuarterBins());
        var off = Monitor(models, new DriftOptions { Enabled = false });

        using var scorer = new BatchingHazardScorer(models, new ScoringMetrics(new TestMeterFactory()), off);

        Assert.Null(typeof(BatchingHazardScorer).GetField("_drift", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(scorer));
        Assert.Equal((false, 0), (off.Snapshot("s", true).Enabled, off.Snapshot("s", true).Windows.Count));
    }

    [Fact]
    public async Task Every_vector_the_scorer_scores_is_counted()
    {
        using var models = Manager(BaselineModels.QuarterBins());
        var monitor = Monitor(models);
        using var scorer = new BatchingHazardScorer(models, new ScoringMetrics(new TestMeterFactory()), monitor);

        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => scorer.ScoreAsync(BaselineModels.Vector(_ => i % 4 * 10)).AsTask()));

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(monitor.Snapshot("s", false).Windows[0].Readings == 500)));
        Assert.Equal([125L, 125, 125, 125], monitor.Snapshot("s", false).Windows[0].Counts[..4]); // 0, 10, 20, 30 → bins 0, 1, 2, 3
    }

    [Theory]
    [InlineData("BucketsPerWindow", "0", "BucketsPerWindow must be 1 to 1440")]
    [InlineData("LongWindow", "00:30:00", "must be longer than ShortWindow")]
    [InlineData("ReportInterval", "00:00:00", "ReportInterval must be 1 s to 10 min")]
    [InlineData("PsiModerate", "0.3", "0 < PsiModerate ≤ PsiDrifted")]
    [InlineData("KsDrifted", "1", "KsModerate ≤ KsDrifted < 1")]
    [InlineData("MinReadings", "0", "MinReadings must be at least 1")]
    public void Settings_that_cannot_give_a_verdict_are_refused_naming_the_key(string key, string value, string reason)
    {
        var options = new DriftOptions();
        var property = typeof(DriftOptions).GetProperty(key)!;
        property.SetValue(options, property.PropertyType == typeof(TimeSpan) ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
            : Convert.ChangeType(value, property.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var result = new DriftOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains($"Hvs:Drift:{key}", failure);
        Assert.Contains(reason, failure);
        Assert.True(new DriftOptionsValidator().Validate(null, new DriftOptions()).Succeeded);
    }

    public void Dispose() => _data.Dispose();

    private DriftMonitor Monitor(HazardModelManager models, DriftOptions? options = null) =>
        new(Options.Create(options ?? new DriftOptions()), models, _clock);

    private HazardModelManager Manager(string? baseline)
    {
        var bundled = Path.Combine(_data.Path, "bundled.onnx");
        File.WriteAllBytes(bundled, BaselineModels.Create("first", baseline));
        var models = new HazardModelManager(Options.Create(new ModelOptions { BundledModelPath = bundled, Directory = Path.Combine(_data.Path, "models") }),
            new ScoringMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<HazardModelManager>.Instance);
        models.LoadAtStartup();
        return models;
    }
}
