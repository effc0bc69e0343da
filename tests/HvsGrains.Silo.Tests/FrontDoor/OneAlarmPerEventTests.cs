using System.Net;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// Through the front door: a rack with a gas detector of its own (readings without a module id) and one
/// module heating into a vent gives one alarm, naming that module; the detector's readings are validated
/// like any reading.
/// </summary>
public sealed class OneAlarmPerEventTests : IDisposable
{
    private const string Rack = "RackA2";
    private const string Culprit = "RackA2_Module03";
    private readonly DataFolder _data = new();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddHours(-3);

    [Theory]
    [InlineData(false)] // the embedded default: acknowledged once logged, handed over in commit order
    [InlineData(true)] // a cluster's way: acknowledged once applied; the detector's readings still go to the rack, not to a module
    public async Task One_venting_module_gives_exactly_one_alarm_naming_it(bool acknowledgeWhenApplied)
    {
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Ingest:Dispatch:AcknowledgeWhenApplied"] = acknowledgeWhenApplied ? "true" : "false" });
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var heating = HeatingSequence.Readings(Culprit, Rack, _start, 150);
        foreach (var steps in Enumerable.Range(0, 150).Chunk(30))
        {
            var batch = new List<object>();
            foreach (var i in steps)
            {
                var at = _start.AddSeconds(10 * i);
                var culprit = JsonSerializer.SerializeToElement(heating[i]);
                for (var slot = 1; slot <= 8; slot++)
                {
                    batch.Add(slot == 3 ? WithoutGas(culprit) : WithoutGas(JsonSerializer.SerializeToElement(HeatingSequence.Normal($"{Rack}_Module{slot:D2}", Rack, at))));
                }

                // The rack's detector: what used to come in every module reading, once, without a module.
                batch.Add(new { rackId = Rack, timestamp = at.ToString("O"), coPpm = culprit.GetProperty("coPpm").GetDouble(), h2Ppm = culprit.GetProperty("h2Ppm").GetDouble(), vocPpm = culprit.GetProperty("vocPpm").GetDouble() });
            }

            using var response = await ingest.PostReadingsAsync(batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray().Any(a => a.GetProperty("level").GetString() == "Critical")));
        var alarm = Assert.Single((await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray());
        Assert.Equal(Culprit, alarm.GetProperty("moduleId").GetString());
        Assert.Equal("RackEvent", alarm.GetProperty("kind").GetString());
        Assert.Contains(alarm.GetProperty("evidence").EnumerateArray(), e => e.GetString()!.StartsWith("gas:", StringComparison.Ordinal));

        var rack = await read.GetJsonAsync($"/api/v1/racks/{Rack}");
        Assert.Equal(8, rack.GetProperty("modules").GetArrayLength());
        Assert.True(rack.GetProperty("gas").GetProperty("vocPpm").GetDouble() > 100);
        var neighbour = await read.GetJsonAsync($"/api/v1/modules/{Rack}_Module02");
        Assert.Equal("Normal", neighbour.GetProperty("level").GetString()); // the gas it shares is not its own alarm
    }

    [Fact]
    public async Task A_reading_without_a_module_may_carry_only_the_racks_air_and_gas()
    {
        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        using var response = await ingest.PostReadingsAsync([
            new { rackId = Rack, timestamp = _start.ToString("O"), coPpm = 3.0 },
            new { rackId = Rack, timestamp = _start.AddSeconds(10).ToString("O"), coPpm = 3.0, voltageV = 51.2 },
        ]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        var errors = problem.GetProperty("errors");
        Assert.Equal("must not be empty", errors.GetProperty("[1].moduleId")[0].GetString()); // a module's measurement needs its module
        Assert.False(errors.TryGetProperty("[0].moduleId", out _));
    }

    private static Dictionary<string, object?> WithoutGas(JsonElement reading) =>
        reading.EnumerateObject()
            .Where(p => p.Name is not ("coPpm" or "h2Ppm" or "vocPpm"))
            .ToDictionary(p => p.Name, p => (object?)p.Value);

    public void Dispose() => _data.Dispose();
}
