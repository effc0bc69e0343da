using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>One implausible channel costs that channel, not the reading: kept, imputed, named, advised.</summary>
public sealed class ImplausibleChannelTests : IDisposable
{
    private readonly DataFolder _data = new();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddMinutes(-30);

    [Fact]
    public async Task A_channel_out_of_range_beside_good_ones_is_accepted_named_imputed_and_advised()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var good = HeatingSequence.Normal("Odd_M1", "RackOdd", _start);
        var oneBad = JsonSerializer.SerializeToNode(HeatingSequence.Normal("Odd_M1", "RackOdd", _start.AddSeconds(10)), SiloHost.Json)!;
        oneBad["maxSurfaceTempC"] = 1500;

        using var response = await silo.ClientWithKey(SiloHost.IngestKey).PostAsJsonAsync("/api/v1/readings", new object[] { good, oneBad });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        var invalid = Assert.Single(result.GetProperty("invalidChannels").EnumerateArray());
        Assert.Equal((1, "maxSurfaceTempC"), (invalid.GetProperty("index").GetInt32(), invalid.GetProperty("field").GetString()));
        Assert.Contains("1500", invalid.GetProperty("reason").GetString());

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await read.GetJsonAsync("/api/v1/modules/Odd_M1")).GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() == 2));
        var module = await read.GetJsonAsync("/api/v1/modules/Odd_M1");
        Assert.Equal("Normal", module.GetProperty("level").GetString());
        Assert.Equal(27, module.GetProperty("features").GetProperty("Module_Max_Surface_Temp_C").GetDouble(), 3); // the last good value
        Assert.Equal("maxSurfaceTempC", Assert.Single(module.GetProperty("sensorFaults").EnumerateArray()).GetProperty("channel").GetString());
        Assert.Equal(JsonValueKind.Null, module.GetProperty("latestReading").GetProperty("maxSurfaceTempC").ValueKind);
        await AssertAdvisoryAsync(read, "Odd_M1");
    }

    [Fact]
    public async Task A_thermistor_spiking_to_118_beside_a_30_degree_surface_gives_an_advisory_not_an_alarm()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var readings = Enumerable.Range(0, 12).Select(i => HeatingSequence.Normal("Odd_M2", "RackOdd2", _start.AddSeconds(10 * i), temperature: 30)).ToList();
        var spike = JsonSerializer.SerializeToNode(HeatingSequence.Normal("Odd_M2", "RackOdd2", _start.AddSeconds(120), temperature: 30), SiloHost.Json)!;
        spike["maxSurfaceTempC"] = 118;

        using var response = await silo.ClientWithKey(SiloHost.IngestKey).PostAsJsonAsync("/api/v1/readings", readings.Append(spike).ToArray());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await read.GetJsonAsync("/api/v1/modules/Odd_M2")).GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() == 13));
        var module = await read.GetJsonAsync("/api/v1/modules/Odd_M2");
        Assert.Equal("Normal", module.GetProperty("level").GetString());
        Assert.Contains("118", Assert.Single(module.GetProperty("sensorFaults").EnumerateArray()).GetProperty("reason").GetString());
        await AssertAdvisoryAsync(read, "Odd_M2");
        Assert.DoesNotContain((await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray(), a => a.GetProperty("kind").GetString() == "ModuleHazard");
    }

    private static async Task AssertAdvisoryAsync(HttpClient read, string module)
    {
        JsonElement advisory = default;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var found = (await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray().Where(a => a.GetProperty("moduleId").GetString() == module).ToList();
            advisory = found.FirstOrDefault();
            return found.Count == 1;
        }));
        Assert.True(("SensorFault", "Watch", "Open") == (advisory.GetProperty("kind").GetString(), advisory.GetProperty("level").GetString(), advisory.GetProperty("state").GetString()),
            $"{advisory} / rack: {await read.GetJsonAsync($"/api/v1/racks/{advisory.GetProperty("rackId").GetString()}")}");
        Assert.Contains("maxSurfaceTempC", advisory.GetProperty("reason").GetString());
        Assert.Equal(0, (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("openAlarms").GetInt32()); // an advisory is not an alarm to count
    }

    public void Dispose() => _data.Dispose();
}
