using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Catalog;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.ModelScoring.Shadow;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Notifications;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace HvsGrains.Grains.Tests.Serialization;

/// <summary>
/// Everything that crosses a grain call or is stored, made by the domain code itself, survives Orleans'
/// serializer and deep copier: collection expressions give compiler-made list types Orleans has no codec for.
/// </summary>
public sealed class SerializationRoundTripTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(ModuleGrain).Assembly)).BuildServiceProvider();

    public static TheoryData<string> Types => new(Samples().Keys);

    [Theory]
    [MemberData(nameof(Types))]
    public void Round_trips_through_the_serializer_and_the_deep_copier(string name)
    {
        var value = Samples()[name];
        var serializer = _services.GetRequiredService<Serializer>();
        var copier = _services.GetRequiredService<DeepCopier>();

        var back = serializer.Deserialize<object>(serializer.SerializeToArray<object>(value))!;
        var copy = copier.Copy<object>(value)!;

        Assert.Equal(value.GetType(), back.GetType());
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), Json), JsonSerializer.Serialize(back, back.GetType(), Json));
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), Json), JsonSerializer.Serialize(copy, copy.GetType(), Json));
    }

    [Fact]
    public void Every_serializable_type_of_the_grains_assembly_has_a_sample()
    {
        var serializable = typeof(ModuleGrain).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null)
            .Select(t => t.Name).Order().ToList();

        Assert.Equal(serializable, Samples().Keys.Order().ToList());
    }

    [Fact]
    public void Reports_up_the_hierarchy_are_one_way_so_no_call_cycle_can_deadlock()
    {
        // Module → rack → warehouse are the only grain-to-grain calls; none waits for an answer.
        Assert.NotNull(typeof(IRackGrain).GetMethod(nameof(IRackGrain.ReportModule))!.GetCustomAttribute<OneWayAttribute>());
        Assert.NotNull(typeof(IWarehouseGrain).GetMethod(nameof(IWarehouseGrain.ReportRack))!.GetCustomAttribute<OneWayAttribute>());
        Assert.NotNull(typeof(IModuleGrain).GetMethod(nameof(IModuleGrain.Ingest))!.GetCustomAttribute<OneWayAttribute>());
    }

    private static Dictionary<string, object> Samples()
    {
        // A module heating into Critical, through the real feature code and hazard policy.
        var rack = TestReadings.Rack;
        var features = new ModuleFeatureState(TestReadings.Module);
        var policy = new HazardPolicy(new HazardRuleOptions { ModelConfirmationReadings = 3 });
        var memory = HazardMemory.Initial;
        HazardAssessment assessment = null!;
        var tally = new ShadowTally("site/shadow-3");
        var judge = new ShadowJudge(TestReadings.Module, tally, memory);
        var eager = new HazardPolicy(new HazardRuleOptions { ModelConfirmationReadings = 1, ModelNeedsCorroboration = false }); // differs before the rules take over
        foreach (var reading in Enumerable.Range(0, 30).Select(i => TestReadings.At(i * 10, tempC: 30 + (i * 4)) with { CoPpm = i > 20 ? null : 1 }))
        {
            features.Apply(reading);
            var decision = policy.Evaluate(features.Current!, 0.3 + (reading.MaxSurfaceTempC!.Value / 400), new ModelThresholds(0.5, 0.7, 0.9), memory, reading.Timestamp);
            (memory, assessment) = (decision.Memory, decision.Assessment);
            judge.Judge(eager, features.Current!, new ShadowScore(0.95, "v4", new ModelThresholds(0.5, 0.7, 0.9), tally), assessment, reading.Timestamp);
        }

        var tallied = tally.Drain("S127.0.0.1:11111:1", TestReadings.Start)!;
        Assert.NotEmpty(tallied.Differences); // the sample must hold what a real judge tallies

        var latest = TestReadings.At(290, tempC: 146);
        var reports = new[] { 1, 2, 3 }.Select(slot => new ModuleReport(
            TestReadings.ModuleOf(rack, slot), rack, slot == 2 ? HazardLevel.Critical : HazardLevel.Watch, 40 + slot, slot == 2 ? 6.5 : 2.0, 0.8, "hot", latest.Timestamp, "v3")
        {
            RiseC = slot == 2 ? 30 : 8,
            VoltageV = 51.2 - slot,
            Gas = new GasSample(40, 30, 120, latest.Timestamp),
            ModelLevel = HazardLevel.Warning,
        }).ToList();
        var propagation = new PropagationDetector(new PropagationOptions()).Assess(reports);
        Assert.True(propagation.Active); // the sample must be the list the detector really builds
        var assessor = new RackEventAssessor(new HazardRuleOptions(), new RackEvidenceOptions());
        var (rackEvent, eventMemory) = assessor.Assess(reports, reports[0].Gas, RackEventMemory.None, latest.Timestamp);
        (rackEvent, eventMemory) = assessor.Assess(reports, reports[0].Gas, eventMemory, latest.Timestamp.AddMinutes(1));
        Assert.Equal(HazardLevel.Critical, rackEvent.Level); // the sample must be an event the assessor really builds
        var rackState = new RackState { Gas = reports[0].Gas, EventMemory = eventMemory with { ClearingSince = latest.Timestamp } };
        reports.ForEach(r => rackState.Modules[r.ModuleId] = r);
        var alerts = reports.Select(r => new ModuleAlert(r.ModuleId, r.Level, r.TopReason, r.At)).ToList();
        var anomalyWatch = new AnomalyWatch(TimeSpan.Zero, TimeSpan.FromMinutes(2));
        anomalyWatch.Observe(0.64, 0.61, latest.Timestamp);
        var anomaly = new ModuleAnomaly(reports[0].ModuleId, anomalyWatch.Current!, latest.Timestamp);
        var rackReport = new RackReport(rack, HazardLevel.Critical, 3, reports[1].ModuleId, 42, propagation, alerts, latest.Timestamp, Anomalies: [anomaly]) { Event = rackEvent };
        var warehouseState = new WarehouseState();
        var book = new AlarmBook(warehouseState, 10);
        var webhooks = new WebhookOptions();
        webhooks.Endpoints["bms"] = new WebhookEndpointOptions { Url = "https://user:pw@bms.example/hooks?token=t", Secret = "s", Events = [.. WebhookEventTypes.All] };
        var outbox = new AlarmOutbox(warehouseState.Outbox, webhooks, TimeProvider.System);
        var before = outbox.Snapshot(warehouseState.Alarms);
        book.Reconcile(rackReport);
        outbox.Record(before, warehouseState.Alarms, null, rackReport);
        before = outbox.Snapshot(warehouseState.Alarms);
        var by = new Acknowledgement("operator-key", "Dana", AlarmVerdict.TrueAlarm);
        var acknowledgement = new AlarmDesk(warehouseState, 10).Acknowledge(warehouseState.Alarms[0].Id, by, latest.Timestamp.AddMinutes(1));
        outbox.Record(before, warehouseState.Alarms);
        outbox.Pass("retired-endpoint", 1);
        var delivery = new WebhookDeliveryState { Passed = 1, Delivered = 1, LastSuccessAt = latest.Timestamp, FailedAttempts = 2, LastFailure = "HTTP 500", NextAttemptAt = latest.Timestamp.AddSeconds(9), DeadLettered = 1 };
        delivery.DeadLetters.Add(new DeadLetter(warehouseState.Outbox.Entries[0].EventId, WebhookEventTypes.AlarmRaised, warehouseState.Alarms[0].Id, latest.Timestamp, latest.Timestamp.AddDays(1), 100, "timed out"));
        warehouseState.Racks[rack] = rackReport;
        var modelEntry = new ModelCatalogEntry("ab12", "v3", 4, "admin-key", latest.Timestamp);
        var catalog = new ModelCatalogState { Revision = 2, ActiveSha256 = "ab12", HasPrevious = true, ChangedBy = "admin-key", ChangedAt = latest.Timestamp, ShadowSha256 = "ab12", ShadowTrial = tally.Trial };
        catalog.Models["ab12"] = new StoredModel(modelEntry, [1, 2, 3, 4]);
        var siloModel = new SiloModelReport("S127.0.0.1:11111:1", "ab12", "v3", "catalog", null, latest.Timestamp, "v4", "features differ");
        var shadowSlot = new ShadowSlot(modelEntry, tally.Trial);
        var catalogView = new ModelCatalogView(2, modelEntry, null, false, "admin-key", latest.Timestamp, [siloModel], shadowSlot);
        var trial = new ShadowComparisonState { Candidate = modelEntry, ActiveVersionAtStart = "v3", Counts = tallied.Counts, Differences = [.. tallied.Differences], DifferencesSeen = tallied.DifferencesSeen, Ended = "promoted", EndedBy = "admin-key", EndedAt = latest.Timestamp };
        trial.AlarmTimes[TestReadings.Module] = tallied.AlarmTimes[0];
        trial.Silos[tallied.Silo] = tallied.At;
        var alarmSummary = FirstAlarmSummary.Of(tallied.AlarmTimes.Select(t => (t.ActiveWarningAt, t.ShadowWarningAt)));
        var comparison = new ShadowComparison(tally.Trial, modelEntry, "v3", tallied.Counts, 0.5, 0.75, tallied.Differences, tallied.DifferencesSeen, tallied.AlarmTimes, alarmSummary, alarmSummary, trial.Silos, null, null, null);
        var snapshot = features.ExportSnapshot();
        var surface = new SurfaceMinutes(11);
        for (var i = 0; i < 60; i++)
        {
            surface.Observe(latest.Timestamp.AddSeconds((i - 60) * 10), 30 + (i * 0.2));
        }

        var forecast = new SurfaceForecaster(new ForecastOptions(), new HazardRuleOptions().MaxSurfaceTempC).Forecast(surface, latest.Timestamp)!;
        var status = new ModuleStatus(TestReadings.Module, rack, assessment.Level, assessment.ModelProbability, "v3", "because", assessment.Reasons, assessment.EvaluatedAt, latest,
            FeatureVector.FeatureNames.Select((n, i) => (n, features.Current![i])).ToDictionary(p => p.n, p => p.Item2), features.Counters,
            AnomalyScore: 0.64, Anomaly: anomalyWatch.Current, Forecast: forecast.Forecast, TimeToThresholds: forecast.Thresholds,
            ShadowProbability: judge.Probability, ShadowLevel: judge.Level);

        // Drift watch: a baseline as the validator parses it, a silo's counts, the site's view as the drift grain computes it.
        var baseline = FeatureBaselineParser.Parse(JsonSerializer.Serialize(new
        {
            version = 1,
            rows = 10,
            source = "test rows",
            features = FeatureVector.FeatureNames.Select(n => new { name = n, edges = new[] { 0.0, 10 }, proportions = new[] { 0.5, 0.25, 0.25 } }),
        }), FeatureVector.FeatureNames)!;
        var driftThresholds = new DriftOptions().Thresholds;
        var counts = new long[FeatureVector.FeatureNames.Count * FeatureBaseline.MaxBins];
        counts[(3 * FeatureBaseline.MaxBins) + 2] = 4;
        var windowCounts = new WindowCounts("1h", TimeSpan.FromHours(1), 4, counts);
        var driftReport = new SiloDriftReport("S127.0.0.1:11111:1", "ab12", "v3", new[] { windowCounts }, baseline, true, true);
        var driftWindows = SiteDriftCalculator.Windows(baseline, new[] { driftReport }, driftThresholds);
        var driftAdvisory = new DriftAdvisory("drift", ["Module_Avg_Surface_Temp_C"], "v3", latest.Timestamp);
        var driftView = new ModelDriftView("site", "v3", "ab12", null, driftThresholds, driftWindows, driftAdvisory, 1, "test rows", 10);

        return new Dictionary<string, object>
        {
            [nameof(SensorReading)] = latest,
            [nameof(LoggedReading)] = new LoggedReading(42, latest, latest.Timestamp.AddMilliseconds(3)),
            [nameof(ModuleReport)] = reports[1],
            [nameof(ModuleStatus)] = status,
            [nameof(HazardAssessment)] = assessment,
            [nameof(HazardReason)] = assessment.Reasons[0],
            [nameof(HazardMemory)] = memory,
            [nameof(RuleLatch)] = memory.Latches[0],
            [nameof(FeatureCounters)] = features.Counters,
            [nameof(ModuleFeatureSnapshot)] = snapshot,
            [nameof(ModuleState)] = new ModuleState { RackId = rack, Features = snapshot, Memory = memory, Assessment = assessment, ModelVersion = "v3", LatestReading = latest, LastSequence = 42, AnomalyScore = 0.64, Anomaly = anomalyWatch.Current },
            [nameof(RackReport)] = rackReport,
            [nameof(ModuleAlert)] = alerts[0],
            [nameof(PropagationRisk)] = propagation,
            [nameof(RackStatus)] = new RackStatus(rack, HazardLevel.Critical, reports[1].ModuleId, 42, propagation, reports) { Event = rackEvent, Gas = reports[0].Gas },
            [nameof(RackEvent)] = rackEvent,
            [nameof(RackEventMemory)] = rackState.EventMemory,
            [nameof(GasSample)] = reports[0].Gas!,
            [nameof(RackState)] = rackState,
            [nameof(WarehouseStatus)] = new WarehouseStatus("site", HazardLevel.Critical, 1, 3, 1, 1, [rackReport], "v3", driftAdvisory),
            [nameof(WarehouseState)] = warehouseState,
            [nameof(SiteVersion)] = new SiteVersion("site", Guid.Parse("6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b"), 17),
            [nameof(Alarm)] = acknowledgement.Alarm!,
            [nameof(AlarmAcknowledgement)] = acknowledgement,
            [nameof(HazardLevel)] = HazardLevel.Warning,
            [nameof(AlarmState)] = AlarmState.Acknowledged,
            [nameof(AlarmKind)] = AlarmKind.RackEvent,
            [nameof(AcknowledgeOutcome)] = AcknowledgeOutcome.AlreadyCleared,
            [nameof(OutboxState)] = warehouseState.Outbox,
            [nameof(OutboxEntry)] = warehouseState.Outbox.Entries.First(e => e.Alarm is not null),
            [nameof(ModuleLevelChange)] = warehouseState.Outbox.Entries.First(e => e.Module is not null).Module!,
            [nameof(WebhookDeliveryState)] = delivery,
            [nameof(DeadLetter)] = delivery.DeadLetters[0],
            [nameof(WebhookStatus)] = WebhookStatus.Of("bms", webhooks.Endpoints["bms"], delivery, 3),
            [nameof(ModuleReadings)] = new ModuleReadings([new LoggedReading(0, latest), new LoggedReading(43, latest with { Timestamp = latest.Timestamp.AddSeconds(1) })]),
            [nameof(ModelCatalogEntry)] = modelEntry,
            [nameof(StoredModel)] = catalog.Models[modelEntry.Sha256],
            [nameof(ModelCatalogState)] = catalog,
            [nameof(SiloModelReport)] = siloModel,
            [nameof(ModelCatalogView)] = catalogView,
            [nameof(ModelChangeOutcome)] = ModelChangeOutcome.NothingToDo,
            [nameof(ModelChange)] = new ModelChange(ModelChangeOutcome.Refused, "features differ", catalogView),
            [nameof(Acknowledgement)] = by,
            [nameof(AlarmVerdict)] = AlarmVerdict.FalseAlarm,
            [nameof(AlarmVerdictRecord)] = warehouseState.Verdicts[0],
            [nameof(SensorFault)] = new SensorFault("maxSurfaceTempC", "leapt", latest.Timestamp, latest.Timestamp.AddSeconds(5), 2),
            [nameof(SensorAdvisory)] = new SensorAdvisory(TestReadings.Module, ["maxSurfaceTempC"], latest.Timestamp),
            [nameof(SurfaceForecast)] = forecast.Forecast,
            [nameof(ForecastPoint)] = forecast.Forecast.Points[0],
            [nameof(ThresholdEta)] = forecast.Thresholds[1],
            [nameof(SurfaceMinutesSnapshot)] = surface.ExportSnapshot()!,
            [nameof(SurfaceMinute)] = surface.ExportSnapshot()!.Minutes[0],
            [nameof(FeatureBaseline)] = baseline,
            [nameof(FeatureBins)] = baseline.Features[3],
            [nameof(DriftThresholds)] = driftThresholds,
            [nameof(WindowCounts)] = windowCounts,
            [nameof(SiloDriftReport)] = driftReport,
            [nameof(DriftReply)] = new DriftReply(false, driftView),
            [nameof(ModelDriftView)] = driftView,
            [nameof(DriftWindowView)] = driftWindows[0],
            [nameof(FeatureDrift)] = driftWindows[0].Features[3],
            [nameof(DriftAdvisory)] = driftAdvisory,
            [nameof(DriftVerdict)] = DriftVerdict.Moderate,
            [nameof(AnomalyAdvisory)] = anomalyWatch.Current!,
            [nameof(ModuleAnomaly)] = anomaly,
            [nameof(ShadowSlot)] = shadowSlot,
            [nameof(ShadowCounts)] = tallied.Counts,
            [nameof(ShadowDifference)] = tallied.Differences[0],
            [nameof(ModuleAlarmTimes)] = tallied.AlarmTimes[0],
            [nameof(ShadowTallyReport)] = tallied,
            [nameof(ShadowComparisonState)] = trial,
            [nameof(ShadowComparison)] = comparison,
            [nameof(FirstAlarmSummary)] = alarmSummary,
        };
    }

    public void Dispose() => _services.Dispose();
}
