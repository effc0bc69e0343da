using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Shadow;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Placement;

namespace HvsGrains.Grains.Tests.ModelScoring;

/// <summary>
/// A candidate in shadow on two silos. The active (bundled) model says 0.9 once max surface exceeds 70 °C, the
/// candidates once it exceeds 60 °C (more eager) or 85 °C (less): a module heating slowly from 50 °C to 90 °C is put
/// at Critical by the eager one earlier and by the reluctant one later, and the comparison says so with the module and
/// the sensor times; the levels and alarms of the site stay exactly those of a run without a shadow.
/// </summary>
public sealed class ShadowModelTests : IClassFixture<ShadowModelTests.TwoSilosWithShadow>
{
    private const string Site = "shadow-site";
    private const int RampReadings = 160;
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly TwoSilosWithShadow _cluster;

    public ShadowModelTests(TwoSilosWithShadow cluster) => _cluster = cluster;

    private IModelCatalogGrain Catalog => _cluster.Grains.GetGrain<IModelCatalogGrain>(Site);

    [Fact]
    public async Task A_shadow_is_scored_on_both_silos_compared_without_touching_the_site_then_promoted_and_removed()
    {
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Version == "active-70"))),
            "the silos run " + string.Join(", ", Managers().Select(m => m.Current?.Version ?? m.RulesOnlyReason)));

        // Without a shadow: the levels and alarms the active model gives a heating module.
        var baselineRack = TestReadings.NewRack();
        var baseline = await HeatAsync(TestReadings.ModuleOf(baselineRack));
        Assert.All(baseline, step => Assert.Null(step.ShadowLevel));

        var uploaded = await Catalog.UploadShadow(TestModels.Create(Schema.Names, Schema.Hash, "eager-60", threshold: 60), "Grace");
        Assert.Equal(ModelChangeOutcome.Changed, uploaded.Outcome);
        var slot = uploaded.Catalog.Shadow!;
        Assert.Equal(("eager-60", "Grace", "active-70"), (slot.Candidate.Version, slot.Candidate.UploadedBy, Managers()[0].Current!.Version));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Shadow?.Version == "eager-60"))), "not every silo loaded the shadow");
        Assert.True(await Eventually.HoldsAsync(async () => (await Catalog.GetCatalog()).Silos.Count(s => s.ShadowVersion == "eager-60") == 2),
            "the silos did not report the shadow they run");

        // One heating module on each silo, the same readings as the baseline's.
        var modules = await ModulesOnEverySiloAsync();
        var runs = new List<IReadOnlyList<Step>>();
        foreach (var module in modules)
        {
            runs.Add(await HeatAsync(module));
        }

        foreach (var run in runs)
        {
            Assert.Equal(baseline.Select(s => s.Active), run.Select(s => s.Active)); // level, probability and reasons, reading by reading
            Assert.All(run, step => Assert.NotNull(step.ShadowLevel));
        }

        await AssertSameAlarmsAsync(baselineRack, modules);

        var expectedShadowCritical = ThirdReadingAbove(60); // the policy confirms a model level over three readings
        var expectedActiveCritical = ThirdReadingAbove(70);
        Assert.Equal(expectedActiveCritical, baseline.First(s => s.Active.Level == HazardLevel.Critical).At);
        var comparison = await ComparisonAsync(slot.Trial, RampReadings * modules.Count);
        Assert.Equal(2, comparison.Silos.Count);
        Assert.Equal(("eager-60", "active-70"), (comparison.Candidate!.Version, comparison.ActiveVersionAtStart));
        foreach (var module in modules)
        {
            var times = Assert.Single(comparison.Modules, m => m.ModuleId == module);
            Assert.Equal((expectedActiveCritical, expectedShadowCritical), (times.ActiveCriticalAt, times.ShadowCriticalAt));
            Assert.Equal((expectedActiveCritical, expectedShadowCritical), (times.ActiveWarningAt, times.ShadowWarningAt)); // Warning is skipped
            var first = comparison.Differences.Last(d => d.ModuleId == module);
            Assert.Equal((expectedShadowCritical, HazardLevel.Watch, HazardLevel.Critical), (first.SensorTime, first.ActiveLevel, first.ShadowLevel));
            Assert.Equal((0.05, 0.9), (first.ActiveProbability!.Value, first.ShadowProbability), new ToleranceComparer(1e-6));
        }

        var disagreeing = (int)((expectedActiveCritical - expectedShadowCritical) / TimeSpan.FromSeconds(10)) * modules.Count;
        Assert.Equal(new ShadowCounts(RampReadings * modules.Count, (RampReadings * modules.Count) - disagreeing, (RampReadings * modules.Count) - disagreeing, 0, disagreeing), comparison.Counts);
        Assert.Equal(new FirstAlarmSummary(0, modules.Count, 0, 0, 0), comparison.Warning);
        Assert.Equal(new FirstAlarmSummary(0, modules.Count, 0, 0, 0), comparison.Critical);

        // The test models say 0.9 above their threshold (0.05 at or below it). A reluctant candidate replaces the eager one (a new trial): it would have alarmed later.
        var reluctant = await Catalog.UploadShadow(TestModels.Create(Schema.Names, Schema.Hash, "reluctant-85", threshold: 85), "Grace");
        Assert.Equal("replaced by another candidate", (await _cluster.Grains.GetGrain<IShadowComparisonGrain>(slot.Trial).GetComparison()).Ended);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Shadow?.Version == "reluctant-85"))));
        var late = modules[0].Replace("_Module01", "_Module02", StringComparison.Ordinal);
        await HeatAsync(late);
        var later = await ComparisonAsync(reluctant.Catalog.Shadow!.Trial, RampReadings);
        var lateTimes = Assert.Single(later.Modules);
        Assert.Equal((late, expectedActiveCritical, ThirdReadingAbove(85)), (lateTimes.ModuleId, lateTimes.ActiveCriticalAt, lateTimes.ShadowCriticalAt));
        Assert.Equal(FirstReadingAtLeast(80), lateTimes.ShadowWarningAt); // the max surface rule's own Warning (≥ 80 °C), before the reluctant model's level
        Assert.Equal(new FirstAlarmSummary(0, 0, 1, 0, 0), later.Critical);

        // Promotion: the candidate becomes active everywhere, the old active the rollback target; rollback still works.
        var promoted = await Catalog.PromoteShadow("Ada");
        Assert.Equal(("reluctant-85", null, true, null, "Ada"), (promoted.Catalog.Active!.Version, promoted.Catalog.Previous, promoted.Catalog.CanRollBack, promoted.Catalog.Shadow, promoted.Catalog.ChangedBy));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Version == "reluctant-85" && m.Previous?.Version == "active-70" && m.Shadow is null))),
            "not every silo followed the promotion");
        var ended = await _cluster.Grains.GetGrain<IShadowComparisonGrain>(later.Trial).GetComparison();
        Assert.Equal(("promoted", "Ada"), (ended.Ended, ended.EndedBy));
        Assert.Equal(ModelChangeOutcome.NothingToDo, (await Catalog.PromoteShadow("Ada")).Outcome);
        var rolledBack = await Catalog.Rollback("Ada");
        Assert.Equal("reluctant-85", rolledBack.Catalog.Previous!.Version);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Current?.Version == "active-70"))), "not every silo followed the rollback");

        // Removal: the silos stop running it and the catalog no longer keeps its bytes.
        var again = await Catalog.UploadShadow(TestModels.Create(Schema.Names, Schema.Hash, "eager-61", threshold: 61), "Grace");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Shadow?.Version == "eager-61"))));
        var removed = await Catalog.RemoveShadow("Ada");
        Assert.Equal(ModelChangeOutcome.Changed, removed.Outcome);
        Assert.Null(removed.Catalog.Shadow);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Managers().All(m => m.Shadow is null))), "a silo still runs the removed shadow");
        Assert.Equal("removed", (await _cluster.Grains.GetGrain<IShadowComparisonGrain>(again.Catalog.Shadow!.Trial).GetComparison()).Ended);
        var stored = (await _cluster.ReadStoredAsync<ModelCatalogState>("model-catalog", Catalog.GetGrainId())).State!;
        Assert.Null(stored.ShadowSha256);
        Assert.DoesNotContain(again.Catalog.Shadow.Candidate.Sha256, stored.Models.Keys);
        Assert.Equal(ModelChangeOutcome.NothingToDo, (await Catalog.RemoveShadow("Ada")).Outcome);
        var afterRemoval = (await HeatAsync(TestReadings.ModuleOf(TestReadings.NewRack())));
        Assert.All(afterRemoval, step => Assert.Null(step.ShadowLevel));
    }

    [Fact]
    public async Task A_refused_candidate_changes_nothing()
    {
        var before = await Catalog.GetCatalog();

        var refused = await Catalog.UploadShadow(TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "foreign", feature: Schema.Names[0]), "Grace");

        Assert.Equal(ModelChangeOutcome.Refused, refused.Outcome);
        Assert.StartsWith("The model has 10 features", refused.Reason, StringComparison.Ordinal);
        Assert.Equal((before.Revision, before.Shadow, before.Active), (refused.Catalog.Revision, refused.Catalog.Shadow, refused.Catalog.Active));
        Assert.All(Managers(), m => Assert.NotEqual("foreign", m.Shadow?.Version));
    }

    /// <summary>Max surface (the reading's + 1 °C, see <see cref="TestReadings.At"/>) climbs 0.25 °C a reading from 50 °C: 1.5 °C/min, below the rate rule.</summary>
    private static double MaxSurfaceAt(int reading) => 50 + (0.25 * reading) + 1;

    private static DateTimeOffset FirstReadingAtLeast(double celsius) => TimeOf(Enumerable.Range(0, RampReadings).First(i => MaxSurfaceAt(i) >= celsius));

    private static DateTimeOffset ThirdReadingAbove(double celsius) => TimeOf(Enumerable.Range(0, RampReadings).First(i => MaxSurfaceAt(i) > celsius) + 2);

    private static DateTimeOffset TimeOf(int reading) => TestReadings.Start.AddSeconds(10 * reading);

    /// <summary>Feeds the ramp to a module reading by reading and notes what its status said after each.</summary>
    private async Task<IReadOnlyList<Step>> HeatAsync(string module)
    {
        var rack = module[..module.IndexOf('_', StringComparison.Ordinal)];
        var grain = _cluster.Grains.GetGrain<IModuleGrain>(module);
        var steps = new List<Step>(RampReadings);
        for (var i = 0; i < RampReadings; i++)
        {
            var reading = TestReadings.At(10 * i, tempC: MaxSurfaceAt(i) - 1, module: module, rack: rack);
            var sequences = await _cluster.Log.AppendAsync([reading], CancellationToken.None);
            await grain.Apply(new ModuleReadings([new LoggedReading(sequences[0], reading)]));
            var status = (await grain.GetStatus())!;
            steps.Add(new Step(reading.Timestamp, new ActiveStep(status.Level, status.HazardProbability, string.Join(" | ", status.Reasons.Select(r => r.Detail))), status.ShadowLevel));
        }

        return steps;
    }

    private async Task<List<string>> ModulesOnEverySiloAsync()
    {
        var modules = new List<string>();
        foreach (var silo in _cluster.Cluster.GetActiveSilos().Select(s => s.SiloAddress))
        {
            // Orleans' placement hint: the activation goes to this silo whatever the load (placement alone may put both on one).
            var module = TestReadings.ModuleOf(TestReadings.NewRack());
            var grain = _cluster.Grains.GetGrain<IModuleGrain>(module);
            RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            try
            {
                await grain.GetStatus(); // activates it
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }

            Assert.Equal(silo, _cluster.HostOf(grain));
            modules.Add(module);
        }

        Assert.Equal(2, modules.Count);
        return modules;
    }

    private async Task AssertSameAlarmsAsync(string baselineRack, IReadOnlyList<string> modules)
    {
        var warehouse = _cluster.Grains.GetGrain<IWarehouseGrain>(Site);
        async Task<List<string>> AlarmsOf(string rack)
        {
            var module = TestReadings.ModuleOf(rack);
            return [.. (await warehouse.GetAlarms(null, null)).Where(a => a.RackId == rack)
                .Select(a => $"{a.Kind} {a.Level} {a.PeakLevel} {a.State} {a.CauseSeenAt:O} {a.Reason.Replace(module, "M", StringComparison.Ordinal).Replace(rack, "R", StringComparison.Ordinal)}")
                .Order(StringComparer.Ordinal)];
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(baselineRack)).Count > 0), "the heating module raised no alarm");
        var expected = await AlarmsOf(baselineRack);
        foreach (var module in modules)
        {
            var rack = module[..module.IndexOf('_', StringComparison.Ordinal)];
            Assert.True(await Eventually.HoldsAsync(async () => (await AlarmsOf(rack)).SequenceEqual(expected)),
                $"the alarms of {rack} differ from the run without a shadow: {string.Join("; ", await AlarmsOf(rack))} vs {string.Join("; ", expected)}");
        }
    }

    private async Task<ShadowComparison> ComparisonAsync(string trial, int readings)
    {
        var grain = _cluster.Grains.GetGrain<IShadowComparisonGrain>(trial);
        Assert.True(await Eventually.HoldsAsync(async () => (await grain.GetComparison()).Counts.Compared == readings),
            $"the silos did not report {readings} compared readings: {(await grain.GetComparison()).Counts}");
        return await grain.GetComparison();
    }

    private List<HazardModelManager> Managers() =>
        [.. _cluster.Cluster.GetActiveSilos().Select(s => _cluster.Cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<HazardModelManager>())];

    private sealed record ActiveStep(HazardLevel Level, double? Probability, string Reasons);

    private sealed record Step(DateTimeOffset At, ActiveStep Active, HazardLevel? ShadowLevel);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }

    /// <summary>Two silos whose bundled (active) model alarms above 70 °C, following the catalog and reporting shadow tallies every 200 ms.</summary>
    public sealed class TwoSilosWithShadow() : WarehouseCluster(2, new() { ["Hvs:Warehouse:SiteId"] = Site })
    {
        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hvs:Model:BundledModelPath"] = BundledModel(() => TestModels.Create(Schema.Names, Schema.Hash, "active-70", threshold: 70)),
                ["Hvs:Model:CatalogPollInterval"] = "00:00:00.200",
                ["Hvs:Model:Shadow:ReportInterval"] = "00:00:00.200",
            }).Build();
            silo.Services.AddMetrics();
            silo.Services.AddHazardModel(configuration, Path.Combine(Data.Path, "models-" + Guid.NewGuid().ToString("N")));
        }
    }
}
