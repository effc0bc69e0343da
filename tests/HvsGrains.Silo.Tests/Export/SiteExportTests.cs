using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Export;

/// <summary>
/// GET /api/v1/admin/datasets/site on a real silo: readings through the front door, alarms judged by an operator,
/// then the export's rows, labels and features checked against what the grains computed.
/// </summary>
public sealed class SiteExportTests : IDisposable
{
    private const string Export = "/api/v1/admin/datasets/site";
    private readonly DataFolder _data = new();
    private readonly DateTimeOffset _start = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-3).Date, TimeSpan.Zero).AddHours(DateTimeOffset.UtcNow.AddHours(-3).Hour);

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task True_false_and_test_verdicts_become_labels_and_the_rows_carry_the_module_grains_own_features()
    {
        // A 5-minute window before the cause, so rows earlier than that stay 'no-alarm' even on the judged module.
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Export:LabelBefore"] = "00:05:00", ["Hvs:Export:LabelAfter"] = "00:02:00" });
        var ingest = silo.ClientWithKey(SiloHost.IngestKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var judge = silo.ClientWithKey(SiloHost.OperatorKey);
        foreach (var rack in new[] { "ExpTrue", "ExpFalse", "ExpTest" })
        {
            var readings = HeatingSequence.Readings($"{rack}_Module01", rack, _start, 130)
                .Concat(Enumerable.Range(0, 130).SelectMany(i => new[]
                {
                    HeatingSequence.Normal($"{rack}_Module02", rack, _start.AddSeconds(10 * i)),
                    HeatingSequence.Normal($"{rack}_Module03", rack, _start.AddSeconds(10 * i), temperature: 26),
                }));
            foreach (var batch in readings.Chunk(200))
            {
                using var response = await ingest.PostReadingsAsync(batch);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        var alarms = new Dictionary<string, JsonElement>();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            foreach (var alarm in (await read.GetJsonAsync("/api/v1/alarms")).EnumerateArray().Where(a => a.GetProperty("kind").GetString() != "SensorFault"))
            {
                alarms[alarm.GetProperty("rackId").GetString()!] = alarm;
            }

            return alarms.Count == 3;
        }), "every rack raises its alarm");
        foreach (var (rack, verdict) in new[] { ("ExpTrue", "true-alarm"), ("ExpFalse", "false-alarm"), ("ExpTest", "test") })
        {
            using var judged = await judge.PostAsJsonAsync($"/api/v1/alarms/{alarms[rack].GetProperty("id").GetString()}/verdict", new { verdict });
            Assert.Equal(HttpStatusCode.OK, judged.StatusCode);
        }

        var admin = silo.ClientWithKey(SiloHost.AdminKey);
        using var response2 = await admin.GetAsync($"{Export}?from={Q(_start)}&to={Q(_start.AddHours(1))}&racks=ExpTrue,ExpFalse,ExpTest");
        Assert.Equal(HttpStatusCode.OK, response2.StatusCode);
        Assert.Equal("application/zip", response2.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response2.Content.ReadAsStreamAsync());
        using var manifest = JsonDocument.Parse(zip.GetEntry("dataset.json")!.Open());
        var rows = ReadCsv(zip.GetEntry("dataset.csv")!.Open());
        var m = manifest.RootElement;
        var site = m.GetProperty("site");

        // The manifest: the simulator's format, with where the labels came from.
        Assert.Equal(rows.Count, m.GetProperty("rows").GetInt64());
        Assert.Equal(3, m.GetProperty("scenarios").GetArrayLength());
        Assert.Equal(300, site.GetProperty("labelWindowBeforeS").GetDouble());
        Assert.Equal(rows.Count(r => r["Label_Source"] == "true-alarm"), site.GetProperty("rowsBySource").GetProperty("true-alarm").GetInt64());
        Assert.Equal(rows.Count(r => r["Hazard_Label"] == "1"), m.GetProperty("positives").GetInt64());
        Assert.Equal(3, site.GetProperty("alarms").GetArrayLength());

        // True alarm: its module's rows within [cause - 5 min, cause + 2 min] are 1, the rest of its rows 0 (no alarm).
        var trueCause = alarms["ExpTrue"].GetProperty("causeSeenAt").GetDateTimeOffset();
        var hot = rows.Where(r => r["Module_ID"] == "ExpTrue_Module01").ToList();
        Assert.Equal(130, hot.Count);
        foreach (var row in hot)
        {
            var at = DateTimeOffset.Parse(row["Timestamp"], CultureInfo.InvariantCulture);
            var inside = at >= trueCause.AddMinutes(-5) && at <= trueCause.AddMinutes(2);
            Assert.Equal((inside ? "1" : "0", inside ? "true-alarm" : "no-alarm"), (row["Hazard_Label"], row["Label_Source"]));
        }

        Assert.Contains(hot, r => r["Label_Source"] == "no-alarm");
        Assert.All(rows.Where(r => r["Rack_ID"] == "ExpFalse" && r["Label_Source"] != "no-alarm"), r => Assert.Equal(("0", "false-alarm"), (r["Hazard_Label"], r["Label_Source"])));
        Assert.Contains(rows, r => r["Label_Source"] == "false-alarm");

        // Test alarm: the rows within its window are left out, and counted.
        var testCause = alarms["ExpTest"].GetProperty("causeSeenAt").GetDateTimeOffset();
        var testRows = rows.Count(r => r["Module_ID"] == "ExpTest_Module01");
        Assert.True(testRows is > 0 and < 130, $"{testRows} rows of the test alarm's module");
        Assert.DoesNotContain(rows, r => r["Module_ID"] == "ExpTest_Module01" && Math.Abs((DateTimeOffset.Parse(r["Timestamp"], CultureInfo.InvariantCulture) - testCause).TotalMinutes) < 1);
        Assert.True(site.GetProperty("excludedTestRows").GetInt64() >= 130 - testRows);

        // The features are the grain's: the last row of a module equals what the module reports now.
        var module = await read.GetJsonAsync("/api/v1/modules/ExpFalse_Module02");
        var last = rows.Last(r => r["Module_ID"] == "ExpFalse_Module02");
        foreach (var feature in module.GetProperty("features").EnumerateObject())
        {
            Assert.Equal(feature.Value.GetDouble(), double.Parse(last[feature.Name], CultureInfo.InvariantCulture), 4);
        }
    }

    [Theory]
    [InlineData("", "from")]
    [InlineData("?from=2026-11-01T00:00:00Z", "to")]
    [InlineData("?from=yesterday&to=2026-11-02T00:00:00Z", "from")]
    [InlineData("?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("?from=2026-11-01T00:00:00Z&to=2026-11-09T00:00:00Z", "to")]
    [InlineData("?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&racks=NoSuchRack", "racks")]
    [InlineData("?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&racks=,", "racks")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string query, string field)
    {
        await using var silo = new SiloHost(_data.Path);
        using var response = await silo.ClientWithKey(SiloHost.AdminKey).GetAsync(Export + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_empty_range_is_a_404_saying_so_and_the_read_key_may_not_export()
    {
        await using var silo = new SiloHost(_data.Path);
        using var posted = await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync([HeatingSequence.Normal("ExpEmpty_Module01", "ExpEmpty", _start)]);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        Assert.True(await Eventually.HoldsAsync(async () => (await read.GetJsonAsync("/api/v1/warehouse")).GetProperty("racks").GetArrayLength() == 1));

        using var empty = await silo.ClientWithKey(SiloHost.AdminKey).GetAsync($"{Export}?from={Q(_start.AddDays(-2))}&to={Q(_start.AddDays(-1))}");
        Assert.Equal(HttpStatusCode.NotFound, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("no logged readings of any rack", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var byReadKey = await read.GetAsync($"{Export}?from={Q(_start)}&to={Q(_start.AddHours(1))}");
        Assert.Equal(HttpStatusCode.Forbidden, byReadKey.StatusCode);
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static List<Dictionary<string, string>> ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var rows = new List<Dictionary<string, string>>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var values = line.Split(',');
            Assert.Equal(header.Length, values.Length);
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row.TryAdd(header[i], values[i]); // the raw sensor columns come first; features repeat their names
            }

            rows.Add(row);
        }

        return rows;
    }
}
