using System.Net;
using System.Net.Http.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Tests.FrontDoor;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;
using Xunit.Abstractions;

namespace HvsGrains.Silo.Tests.Replay;

/// <summary>
/// Simulated scenarios the model never saw (seeds outside the training catalogue), replayed through
/// the front door with the bundled model: a runaway alarms when the offline model + rules say it
/// should and before the point of no return; benign look-alikes raise no alarm.
/// </summary>
public sealed class ReplayTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(10);
    private readonly DataFolder _data = new();

    [Fact]
    public async Task A_held_out_runaway_alarms_at_the_predicted_time_before_the_point_of_no_return()
    {
        var (spec, samples) = FirstRunaway(Chemistry.Nmc, severity: 4);
        var faulty = samples.Where(s => s.ModuleIndex == spec.FaultModule).ToList();
        var pnr = faulty[0].PnrTime!.Value;
        var (expectedAlarm, modelOnlyAlarm) = PredictOffline(faulty.Select(s => s.Sensors).ToList());
        Assert.True(expectedAlarm < pnr, $"offline prediction {expectedAlarm:O} is not before PNR {pnr:O}");

        await using var silo = new SiloHost(_data.Path);
        await PostAsync(silo, samples);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        await AllAppliedAsync(read, samples);
        var alarms = (await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray()
            .Where(a => a.GetProperty("moduleId").GetString() == faulty[0].ModuleId)
            .OrderBy(a => a.GetProperty("causeSeenAt").GetDateTimeOffset())
            .ToList();
        Assert.True(alarms.Count > 0, "no alarm was raised for the runaway module");
        var alarm = alarms[0];
        var raisedAt = alarm.GetProperty("causeSeenAt").GetDateTimeOffset(); // sensor time, as the offline prediction
        output.WriteLine((await read.GetJsonAsync("/api/v1/alarms")).ToString());
        output.WriteLine($"{spec.Id}: alarm {raisedAt:O}, offline model+rules {expectedAlarm:O}, model alone {modelOnlyAlarm:O}, PNR {pnr:O}; lead {(pnr - raisedAt).TotalMinutes:0.0} min");
        Assert.True((raisedAt - expectedAlarm).Duration() <= 3 * SampleInterval, $"alarm at {raisedAt:O}, predicted {expectedAlarm:O}");
        Assert.True(modelOnlyAlarm is null || raisedAt <= modelOnlyAlarm + (3 * SampleInterval));
        Assert.True(pnr - raisedAt >= TimeSpan.FromMinutes(1), $"lead time {(pnr - raisedAt).TotalMinutes:0.0} min");
        Assert.Contains(alarm.GetProperty("level").GetString(), new[] { "Warning", "Critical" });
    }

    [Theory]
    [InlineData(FaultType.None)]
    [InlineData(FaultType.HvacFailure)]
    [InlineData(FaultType.HighLoad)]
    [InlineData(FaultType.SummerAfternoon)]
    [InlineData(FaultType.CellImbalance)]
    [InlineData(FaultType.SensorFault)]
    public async Task Normal_and_look_alike_operation_raises_no_alarm(FaultType lookAlike)
    {
        var spec = ScenarioCatalogue.Create(Chemistry.Nmc, lookAlike, 2, seed: 0xB0_0000UL + (ulong)lookAlike, index: 40 + (int)lookAlike, TimeSpan.FromHours(3));
        var samples = new ScenarioRunner(new RunnerOptions { SampleInterval = SampleInterval }).Run(spec).ToList();

        await using var silo = new SiloHost(_data.Path);
        await PostAsync(silo, samples);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        await AllAppliedAsync(read, samples);

        var raised = await read.GetJsonAsync("/api/v1/alarms");
        Assert.True(raised.GetArrayLength() == 0, $"{spec.Id} raised {raised}");
    }

    /// <summary>The first seed outside the training catalogue whose faulted module reaches PNR.</summary>
    private static (ScenarioSpec Spec, List<ModuleSample> Samples) FirstRunaway(Chemistry chemistry, int severity)
    {
        var runner = new ScenarioRunner(new RunnerOptions { SampleInterval = SampleInterval });
        for (var seed = 0xD00D_0000UL; ; seed++)
        {
            var spec = ScenarioCatalogue.Create(chemistry, FaultType.InternalShort, severity, seed, index: 30, TimeSpan.FromHours(2));
            var samples = runner.Run(spec).ToList();
            if (samples.Any(s => s.ModuleIndex == spec.FaultModule && s.PnrTime is not null))
            {
                return (spec, samples);
            }
        }
    }

    /// <summary>What the silo's own code decides offline for these readings: model + rules, and the model alone.</summary>
    private static (DateTimeOffset ModelAndRules, DateTimeOffset? ModelAlone) PredictOffline(IReadOnlyList<SensorReading> readings)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "BundledModel", "hazard-model.onnx"));
        using var session = new OnnxHazardModelSession(bytes);
        var thresholds = HazardModelValidator.Validate(session, "bundled", "", DateTimeOffset.UtcNow).Thresholds;
        var policy = new HazardPolicy(new HazardRuleOptions());
        var features = new ModuleFeatureState(readings[0].ModuleId);
        var memory = HazardMemory.Initial;
        DateTimeOffset? both = null, modelAlone = null;
        var streak = 0;
        foreach (var reading in readings)
        {
            if (features.Apply(reading) != ApplyOutcome.Applied)
            {
                continue;
            }

            var probability = session.ScoreOne(features.Current!.AsSpan());
            var decision = policy.Evaluate(features.Current!, probability, thresholds, memory, reading.Timestamp);
            memory = decision.Memory;
            both ??= decision.Assessment.Level >= HazardLevel.Warning ? reading.Timestamp : null;

            streak = probability >= thresholds.Warning ? streak + 1 : 0;
            modelAlone ??= streak >= 3 ? reading.Timestamp : null; // the training report's event rule
        }

        return (both ?? throw new InvalidOperationException("the offline policy never reached Warning"), modelAlone);
    }

    /// <summary>Waits until every module has applied its last reading (modules report to racks only on change).</summary>
    private static async Task AllAppliedAsync(HttpClient read, IReadOnlyList<ModuleSample> samples)
    {
        foreach (var module in samples.GroupBy(s => s.ModuleId))
        {
            var last = module.Max(s => s.Timestamp);
            Assert.True(await Eventually.HoldsAsync(async () =>
                (await read.GetJsonAsync($"/api/v1/modules/{module.Key}")).GetProperty("latestReading").GetProperty("timestamp").GetDateTimeOffset() == last),
                $"{module.Key} did not apply its last reading");
        }
    }

    private static async Task PostAsync(SiloHost silo, IEnumerable<ModuleSample> samples)
    {
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        foreach (var batch in samples.Select(s => s.Sensors).Chunk(500))
        {
            using var response = await ingest.PostAsJsonAsync("/api/v1/readings", batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    public void Dispose() => _data.Dispose();
}
