using System.Net;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Silo.Tests.Anomaly;

/// <summary>
/// The simulator's sensor defects through the front door, scored by the bundled model on real ONNX Runtime: a stuck
/// and a drifting thermistor each give their own module an anomaly advisory, and no hazard alarm; the rack's healthy
/// modules have none.
/// </summary>
public sealed class SensorDefectTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Theory]
    [InlineData(SensorFaultKind.Stuck, 1.5, 15)]     // frozen at its first faulty reading: flagged within minutes
    [InlineData(SensorFaultKind.Drift, 6.0, 330)]    // +3 K/h: flagged once it reads some 10 K too warm for its load (anomaly-report.md)
    public async Task A_defective_thermistor_gets_an_anomaly_advisory_on_its_module_and_no_alarm(SensorFaultKind defect, double hours, int withinMinutes)
    {
        var spec = new ScenarioSpec
        {
            Id = $"defect-{defect}",
            Chemistry = Chemistry.Nmc,
            Fault = FaultType.SensorFault,
            Severity = (int)defect,
            FaultModule = 3,
            FaultStart = TimeSpan.FromMinutes(30),
            Duration = TimeSpan.FromHours(hours),
            Seed = 23,
            RackId = $"RackD{(int)defect}",
            Load = LoadProfileKind.DailyCycle,
            // Whole minutes: the feature windows' 10-second buckets are aligned to UTC, so every run scores the same.
            StartTime = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-hours - 1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero),
        };
        var samples = new ScenarioRunner().Run(spec).ToList();
        var defective = spec.ModuleId(spec.FaultModule);
        var defectStart = spec.StartTime + spec.FaultStart;

        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        foreach (var batch in samples.Select(s => s.Sensors).Chunk(500))
        {
            using var response = await ingest.PostReadingsAsync(batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var perModule = samples.GroupBy(s => s.ModuleId).ToDictionary(g => g.Key, g => g.Count());
        var statuses = new Dictionary<string, JsonElement>();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            foreach (var (module, count) in perModule)
            {
                statuses[module] = await read.GetJsonAsync($"/api/v1/modules/{module}");
                if (statuses[module].GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() != count)
                {
                    return false;
                }
            }

            return true;
        }), "the modules never applied every reading");

        var advisory = statuses[defective].GetProperty("anomaly");
        Assert.Equal(JsonValueKind.Object, advisory.ValueKind);
        var firstSeen = advisory.GetProperty("firstSeenAt").GetDateTimeOffset();
        Assert.InRange(firstSeen, defectStart, defectStart.AddMinutes(withinMinutes));
        Assert.True(advisory.GetProperty("score").GetDouble() >= advisory.GetProperty("threshold").GetDouble());
        Assert.All(statuses.Where(s => s.Key != defective), s =>
            Assert.True(s.Value.GetProperty("anomaly").ValueKind == JsonValueKind.Null, $"{s.Key}: {s.Value.GetProperty("anomaly")}"));

        // The site picture carries the advisory on the rack; the alarm list has no hazard alarm for it.
        var rack = (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("racks").EnumerateArray()
            .Single(r => r.GetProperty("rackId").GetString() == spec.RackId);
        Assert.Equal(defective, Assert.Single(rack.GetProperty("anomalies").EnumerateArray()).GetProperty("moduleId").GetString());
        var alarms = await read.GetJsonAsync("/api/v1/alarms");
        Assert.DoesNotContain(alarms.EnumerateArray(), a => a.GetProperty("kind").GetString() != "SensorFault");
    }

    public void Dispose() => _data.Dispose();
}
