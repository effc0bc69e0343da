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

        // 170 °C and more is beyond every row the bundled model learnt from: no probability beside Critical, but why.
        Assert.True(module.GetProperty("features").GetProperty("Module_Max_Surface_Temp_C").GetDouble() > 140);
        Assert.Equal(JsonValueKind.Null, module.GetProperty("hazardProbability").ValueKind);
        Assert.Contains("above 140 °C", module.GetProperty("modelOutOfDomain").GetString());
        Assert.Contains("The model is out of its domain", module.GetProperty("explanation").GetString());

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
    public async Task Acknowledging_is_an_operators_act_recorded_with_the_key_the_name_the_server_time_and_a_verdict()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var operatorClient = silo.ClientWithKey(SiloHost.OperatorKey);
        await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(HeatingSequence.Readings(Module, Rack, _start, 130));
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/alarms?state=open")).GetArrayLength() > 0));
        var open = (await read.GetJsonAsync("/api/v1/alarms?state=open"))[0];
        var id = open.GetProperty("id").GetString();
        var before = DateTimeOffset.UtcNow;

        // Sensor time and server time are separate fields: the readings are three hours old, the alarm is not.
        var causeSeenAt = open.GetProperty("causeSeenAt").GetDateTimeOffset();
        Assert.InRange(causeSeenAt, _start, _start.AddSeconds(10 * 130));
        Assert.True(open.GetProperty("raisedAt").GetDateTimeOffset() > _start.AddHours(2), "raisedAt is the server's time, not the reading's");

        using var byReadKey = await read.PostAsJsonAsync($"/api/v1/alarms/{id}/ack", new { @operator = "Dana" });
        Assert.Equal(HttpStatusCode.Forbidden, byReadKey.StatusCode);

        using var ack = await operatorClient.PostAsJsonAsync($"/api/v1/alarms/{id}/ack", new { @operator = "Dana (shift lead)", verdict = "false-alarm" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Acknowledged", acknowledged.GetProperty("state").GetString());
        Assert.Equal("Dana (shift lead)", acknowledged.GetProperty("acknowledgedBy").GetString());
        Assert.Equal("operator-key", acknowledged.GetProperty("acknowledgedWithKey").GetString());
        Assert.Equal("FalseAlarm", acknowledged.GetProperty("verdict").GetString());
        Assert.True(acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset() >= before.AddSeconds(-1));
        Assert.Equal(causeSeenAt, acknowledged.GetProperty("causeSeenAt").GetDateTimeOffset());
        Assert.Equal(1, (await read.GetJsonAsync("/api/v1/alarms?state=acknowledged")).GetArrayLength());
        Assert.Equal(0, (await read.GetJsonAsync("/api/v1/alarms?state=open")).GetArrayLength());
        Assert.Equal(id, (await read.GetJsonAsync("/api/v1/alarms?verdict=false-alarm"))[0].GetProperty("id").GetString());
        Assert.Equal(0, (await read.GetJsonAsync("/api/v1/alarms?verdict=true-alarm")).GetArrayLength());

        var label = Assert.Single((await read.GetJsonAsync("/api/v1/alarms/verdicts")).EnumerateArray());
        Assert.Equal((id, Module, "FalseAlarm", "Dana (shift lead)"),
            (label.GetProperty("alarmId").GetString(), label.GetProperty("moduleId").GetString(), label.GetProperty("verdict").GetString(), label.GetProperty("by").GetString()));

        using var changed = await silo.ClientWithKey(SiloHost.AdminKey).PostAsJsonAsync($"/api/v1/alarms/{id}/verdict", new { verdict = "TrueAlarm" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        label = Assert.Single((await read.GetJsonAsync("/api/v1/alarms/verdicts")).EnumerateArray());
        Assert.Equal(("TrueAlarm", "admin-key"), (label.GetProperty("verdict").GetString(), label.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task The_alarm_list_puts_open_alarms_before_acknowledged_ones_whatever_their_age()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        await ingest.PostReadingsAsync(HeatingSequence.Readings("RackO1_Module01", "RackO1", _start, 130));
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/alarms?state=open")).GetArrayLength() == 1));
        await ingest.PostReadingsAsync(HeatingSequence.Readings("RackO2_Module01", "RackO2", _start, 130));
        // Both at their peak (an alarm escalates in place as its rack's event is confirmed), so only age tells them apart.
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/alarms?state=open")) is var open
            && open.GetArrayLength() == 2 && open.EnumerateArray().All(a => a.GetProperty("level").GetString() == "Critical")));
        var newest = (await read.GetJsonAsync("/api/v1/alarms"))[0];
        Assert.Equal("RackO2_Module01", newest.GetProperty("moduleId").GetString()); // same level: the newest first

        using var ack = await silo.ClientWithKey(SiloHost.OperatorKey).PostAsJsonAsync($"/api/v1/alarms/{newest.GetProperty("id").GetString()}/ack", new { });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var list = (await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray().Select(a => (a.GetProperty("moduleId").GetString(), a.GetProperty("state").GetString())).ToList();
        Assert.Equal([("RackO1_Module01", "Open"), ("RackO2_Module01", "Acknowledged")], list);
        Assert.Equal("operator-key", (await read.GetJsonAsync("/api/v1/alarms?state=acknowledged"))[0].GetProperty("acknowledgedBy").GetString());
    }

    [Theory]
    [InlineData("ALM-000001", """{"verdict":"maybe"}""", "/ack", HttpStatusCode.BadRequest, "verdict")]
    [InlineData("ALM-000001", """{"operator":"a-name-far-too-long-for-any-person-a-name-far-too-long-for-any-person-a-name-far-too-long-for-any-person"}""", "/ack", HttpStatusCode.BadRequest, "operator")]
    [InlineData("ALM-000001", """{"operator":"Dana"}""", "/verdict", HttpStatusCode.BadRequest, "verdict")]
    [InlineData("ALM-999999", """{"operator":"Dana"}""", "/ack", HttpStatusCode.NotFound, "alarmId")]
    [InlineData("ALM-999999", """{"verdict":"test"}""", "/verdict", HttpStatusCode.NotFound, "alarmId")]
    public async Task Bad_acknowledgements_are_refused_with_the_field_named(string alarmId, string body, string action, HttpStatusCode status, string field)
    {
        await using var silo = new SiloHost(_data.Path);
        var operatorClient = silo.ClientWithKey(SiloHost.OperatorKey);

        using var response = await operatorClient.PostAsync($"/api/v1/alarms/{alarmId}{action}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Bad_filters_of_the_alarm_list_are_refused_with_the_field_named()
    {
        await using var silo = new SiloHost(_data.Path);
        var read = silo.ClientWithKey(SiloHost.ReadKey);

        using var badState = await read.GetAsync("/api/v1/alarms?state=burning");
        using var badVerdict = await read.GetAsync("/api/v1/alarms?verdict=2");
        using var badExport = await read.GetAsync("/api/v1/alarms/verdicts?verdict=unsure");

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (badState.StatusCode, badVerdict.StatusCode, badExport.StatusCode));
        Assert.Contains("\"state\"", await badState.Content.ReadAsStringAsync());
        Assert.Contains("\"verdict\"", await badVerdict.Content.ReadAsStringAsync());
        Assert.Contains("\"verdict\"", await badExport.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_alarm_clocks_are_stated_in_the_OpenAPI_document()
    {
        await using var silo = new SiloHost(_data.Path);

        var schemas = (await silo.ClientWithKey(SiloHost.ReadKey).GetJsonAsync("/openapi/v1.json")).GetProperty("components").GetProperty("schemas");

        var alarm = schemas.GetProperty("Alarm").GetProperty("properties");
        Assert.Contains("Sensor time", alarm.GetProperty("causeSeenAt").GetProperty("description").GetString());
        foreach (var serverTime in new[] { "raisedAt", "acknowledgedAt", "clearedAt" })
        {
            Assert.StartsWith("Server time", alarm.GetProperty(serverTime).GetProperty("description").GetString());
        }
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
