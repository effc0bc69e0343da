using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

public sealed class HazardFlowTests : IDisposable
{
    private const string Module = "RackA1_Module03";
    private const string Rack = "RackA1";
    private readonly DataFolder _data = new();
    private readonly DateTimeOffset _start = DateTimeOffset.UtcNow.AddHours(-3);

    [Fact]
    public async Task A_heating_module_goes_Critical_and_its_rack_the_warehouse_and_an_alarm_show_it()
    {
        await using var silo = new SiloHost(_data.Path);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        await PostNeighboursAsync(ingest);

        // 140 readings: the rack event takes a new level once its evidence has held 30 s of sensor time.
        foreach (var batch in HeatingSequence.Readings(Module, Rack, _start, 140).Chunk(25))
        {
            using var response = await ingest.PostReadingsAsync(batch);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync($"/api/v1/modules/{Module}")).GetProperty("level").GetString() == "Critical"));
        var module = await read.GetJsonAsync($"/api/v1/modules/{Module}");
        Assert.Contains("Critical because", module.GetProperty("explanation").GetString());
        Assert.NotEmpty(module.GetProperty("reasons").EnumerateArray());
        Assert.True(module.GetProperty("features").GetProperty("Module_Max_Surface_Temp_C").GetDouble() > 100);

        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("level").GetString() == "Critical"));
        var rack = await read.GetJsonAsync($"/api/v1/racks/{Rack}");
        Assert.Equal("Critical", rack.GetProperty("level").GetString());
        Assert.Equal(Module, rack.GetProperty("hottestModuleId").GetString());
        Assert.Equal(3, rack.GetProperty("modules").GetArrayLength());

        var alarms = await read.GetJsonAsync("/api/v1/alarms?state=open");
        var alarm = Assert.Single(alarms.EnumerateArray(), a => a.GetProperty("moduleId").GetString() == Module);
        Assert.Equal("Critical", alarm.GetProperty("level").GetString());
        Assert.Equal("Open", alarm.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Acknowledging_an_alarm_records_who_and_when_and_is_refused_for_unknown_alarms()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(HeatingSequence.Readings(Module, Rack, _start, 130));
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/alarms?state=open")).GetArrayLength() > 0));
        var id = (await read.GetJsonAsync("/api/v1/alarms?state=open"))[0].GetProperty("id").GetString();

        using var ack = await read.PostAsJsonAsync($"/api/v1/alarms/{id}/ack", new { by = "Dana (shift lead)" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Acknowledged", acknowledged.GetProperty("state").GetString());
        Assert.Equal("Dana (shift lead)", acknowledged.GetProperty("acknowledgedBy").GetString());
        Assert.True(acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(1, (await read.GetJsonAsync("/api/v1/alarms?state=acknowledged")).GetArrayLength());
        Assert.Equal(0, (await read.GetJsonAsync("/api/v1/alarms?state=open")).GetArrayLength());

        using var unknown = await read.PostAsJsonAsync("/api/v1/alarms/ALM-999999/ack", new { by = "Dana" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badState = await read.GetAsync("/api/v1/alarms?state=burning");
        Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
        Assert.Contains("\"state\"", await badState.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_restart_on_the_same_files_keeps_levels_alarms_and_windows()
    {
        JsonElement before;
        await using (var first = new SiloHost(_data.Path))
        {
            var read = first.ClientWithKey(SiloHost.ReadKey);
            await first.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(HeatingSequence.Readings(Module, Rack, _start, 130));
            Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("openAlarms").GetInt32() == 1));
            before = await read.GetJsonAsync($"/api/v1/modules/{Module}");
        }

        await using var second = new SiloHost(_data.Path);
        var again = second.ClientWithKey(SiloHost.ReadKey);
        var after = await again.GetJsonAsync($"/api/v1/modules/{Module}");
        Assert.Equal(before.GetProperty("level").GetString(), after.GetProperty("level").GetString());
        Assert.Equal(before.GetProperty("features").GetRawText(), after.GetProperty("features").GetRawText());
        Assert.Equal(before.GetProperty("dataQuality").GetRawText(), after.GetProperty("dataQuality").GetRawText());
        var warehouse = await again.GetJsonAsync("/api/v1/warehouse");
        Assert.Equal("Critical", warehouse.GetProperty("level").GetString());
        Assert.Equal(1, warehouse.GetProperty("openAlarms").GetInt32());

        // The windows carry on: the next reading extends the restored history.
        await second.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync([HeatingSequence.Normal(Module, Rack, _start.AddSeconds(1300), 160, 800)]);
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await again.GetJsonAsync($"/api/v1/modules/{Module}")).GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() == 131));
    }

    [Fact]
    public async Task History_comes_from_the_log_and_bad_ranges_are_refused()
    {
        await using var silo = new SiloHost(_data.Path);
        await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(HeatingSequence.Readings(Module, Rack, _start, 30));
        var read = silo.ClientWithKey(SiloHost.ReadKey);

        var from = Uri.EscapeDataString(_start.AddSeconds(50).ToString("O"));
        var to = Uri.EscapeDataString(_start.AddSeconds(150).ToString("O"));
        var history = await read.GetJsonAsync($"/api/v1/modules/{Module}/readings?from={from}&to={to}");
        Assert.Equal(10, history.GetProperty("readings").GetArrayLength());
        Assert.Equal(_start.AddSeconds(50), history.GetProperty("readings")[0].GetProperty("reading").GetProperty("timestamp").GetDateTimeOffset());

        using var reversed = await read.GetAsync($"/api/v1/modules/{Module}/readings?from={to}&to={from}");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
        Assert.Contains("must be before", await reversed.Content.ReadAsStringAsync());
        using var unknown = await read.GetAsync("/api/v1/modules/RackZ9_Module99");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private async Task PostNeighboursAsync(HttpClient ingest)
    {
        var neighbours = new[] { "RackA1_Module02", "RackA1_Module04" }
            .SelectMany(m => Enumerable.Range(0, 5).Select(i => HeatingSequence.Normal(m, Rack, _start.AddSeconds(10 * i))));
        using var response = await ingest.PostReadingsAsync(neighbours);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => _data.Dispose();
}
