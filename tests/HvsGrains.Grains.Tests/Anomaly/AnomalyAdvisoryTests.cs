using System.Diagnostics.Metrics;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Grains.Tests.Anomaly;

/// <summary>
/// A silo scoring with the bundled model: a module unlike normal operation gets an anomaly advisory (its status, its
/// rack's report, the site picture), never an alarm; its hazard level stays what the hazard model and rules say.
/// </summary>
public sealed class AnomalyAdvisoryTests : IClassFixture<AnomalyAdvisoryTests.SiloWithBundledModel>
{
    private readonly SiloWithBundledModel _cluster;

    public AnomalyAdvisoryTests(SiloWithBundledModel cluster) => _cluster = cluster;

    [Fact]
    public async Task A_module_unlike_normal_operation_gets_an_advisory_and_no_hazard_level_or_alarm()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        await _cluster.IngestAsync(OutOfPattern(moduleId, rack, 80));

        var module = _cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 80));
        var status = (await module.GetStatus())!;
        var threshold = _cluster.Models.Current!.Anomaly!.Threshold;
        Assert.True(status.AnomalyScore >= threshold, $"score {status.AnomalyScore} vs threshold {threshold}");
        Assert.NotNull(status.Anomaly);
        Assert.Equal(threshold, status.Anomaly!.Threshold);
        Assert.Equal(HazardLevel.Normal, status.Level);
        Assert.Empty(status.Reasons);
        Assert.True(status.HazardProbability < _cluster.Models.Current.Thresholds.Watch);
        Assert.Equal(1, _cluster.AnomalousModules());

        // The rack and the warehouse's site picture carry the advisory; the alarm list has nothing for the rack.
        var warehouse = _cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        RackReport? rackReport = null;
        Assert.True(await Eventually.HoldsAsync(async () => (rackReport = (await warehouse.GetStatus()).Racks.SingleOrDefault(r => r.RackId == rack))?.Anomalies is { Count: 1 }));
        Assert.Equal(moduleId, rackReport!.Anomalies![0].ModuleId);
        Assert.Contains("unlike normal operation", rackReport.Anomalies[0].Advisory.Reason);
        Assert.Equal(HazardLevel.Normal, rackReport.Level);
        Assert.DoesNotContain(await warehouse.GetAlarms(null, null), a => a.RackId == rack);

        // Back to normal operation: the advisory clears after its hold of sensor time.
        await _cluster.IngestAsync(Calm(moduleId, rack, 100, fromSeconds: 800));
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())!.Anomaly is null));
        Assert.True(await Eventually.HoldsAsync(async () => (await warehouse.GetStatus()).Racks.Single(r => r.RackId == rack).Anomalies is null));
        Assert.DoesNotContain(await warehouse.GetAlarms(null, null), a => a.RackId == rack);
        Assert.Equal(0, _cluster.AnomalousModules());
    }

    [Fact]
    public async Task A_module_in_normal_operation_has_a_score_below_the_threshold_and_no_advisory()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        await _cluster.IngestAsync(Calm(moduleId, rack, 70));

        var module = _cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 70));
        var status = (await module.GetStatus())!;
        Assert.True(status.AnomalyScore < _cluster.Models.Current!.Anomaly!.Threshold);
        Assert.Null(status.Anomaly);
    }

    [Fact]
    public async Task With_anomaly_scoring_off_the_same_module_has_no_score_no_advisory_and_the_same_level()
    {
        await using var off = new BundledModelSilo(anomalyEnabled: false);
        await off.InitializeAsync();
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        await off.IngestAsync(OutOfPattern(moduleId, rack, 80));

        var module = off.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 80));
        var status = (await module.GetStatus())!;
        Assert.Null(status.AnomalyScore);
        Assert.Null(status.Anomaly);
        Assert.Equal(HazardLevel.Normal, status.Level);
        Assert.NotNull(status.HazardProbability); // the hazard model still scores
        var warehouse = off.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        Assert.DoesNotContain(await warehouse.GetAlarms(null, null), a => a.RackId == rack);
    }

    /// <summary>
    /// A module at work whose surface thermistors are frozen (the same two values in every reading) while its current,
    /// voltage and the air around it move as usual: no normal module's temperatures stand that still.
    /// </summary>
    private static List<SensorReading> OutOfPattern(string module, string rack, int count)
    {
        var noise = new Random(7);
        return [.. Enumerable.Range(0, count).Select(i => TestReadings.At(i * 10, module: module, rack: rack) with
        {
            VoltageV = 51.2 + Noise(noise, 0.01),
            CurrentA = 10 + Noise(noise, 0.5),
            AvgSurfaceTempC = 25.3,
            MaxSurfaceTempC = 26.1,
            AmbientTempC = 22 + Noise(noise, 0.1),
            CoPpm = 1 + Noise(noise, 0.05),
            H2Ppm = 0.5 + Noise(noise, 0.02),
            VocPpm = 0.2 + Noise(noise, 0.01),
        })];
    }

    /// <summary>A module at rest with its sensors' usual noise.</summary>
    private static List<SensorReading> Calm(string module, string rack, int count, double fromSeconds = 0)
    {
        var noise = new Random(11);
        return [.. Enumerable.Range(0, count).Select(i => TestReadings.At(fromSeconds + (i * 10), module: module, rack: rack) with
        {
            VoltageV = 51.2 + Noise(noise, 0.01),
            CurrentA = 10 + Noise(noise, 0.5),
            AvgSurfaceTempC = 25 + Noise(noise, 0.1),
            MaxSurfaceTempC = 26 + Noise(noise, 0.1),
            AmbientTempC = 22 + Noise(noise, 0.1),
            CoPpm = 1 + Noise(noise, 0.05),
            H2Ppm = 0.5 + Noise(noise, 0.02),
            VocPpm = 0.2 + Noise(noise, 0.01),
        })];
    }

    private static double Noise(Random random, double sd) =>
        sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()); // Box–Muller

    /// <summary>The shared silo of these tests: the bundled model, anomaly scoring on (the default).</summary>
    public sealed class SiloWithBundledModel() : BundledModelSilo(anomalyEnabled: true);

    /// <summary>One silo scoring with the bundled model (real ONNX Runtime), anomaly scoring on or off.</summary>
    public class BundledModelSilo(bool anomalyEnabled) : WarehouseCluster(1, new() { ["Hvs:Anomaly:Enabled"] = anomalyEnabled ? "true" : "false" }), IAsyncDisposable
    {
        public HazardModelManager Models => Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<HazardModelManager>();

        /// <summary>The silo's "hvs.modules.anomalous" gauge, read from its own meter factory.</summary>
        public int AnomalousModules()
        {
            var factory = Cluster.GetSiloServiceProvider(Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<IMeterFactory>();
            var value = -1;
            using var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "hvs.modules.anomalous")
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<int>((_, measured, _, _) => value = measured);
            listener.Start();
            listener.RecordObservableInstruments();
            return value;
        }

        protected override void ConfigureSilo(ISiloBuilder silo)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Hvs:Model:BundledModelPath"] = RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")),
            }).Build();
            silo.Services.AddMetrics();
            silo.Services.AddHazardModel(configuration, Path.Combine(Data.Path, "models-" + Guid.NewGuid().ToString("N")));
        }

        async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
    }
}
