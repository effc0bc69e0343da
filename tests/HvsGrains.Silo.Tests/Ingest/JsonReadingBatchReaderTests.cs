using System.Text;
using HvsGrains.Silo.Ingest;
using static HvsGrains.Silo.Tests.Ingest.IngestTestData;

namespace HvsGrains.Silo.Tests.Ingest;

public sealed class JsonReadingBatchReaderTests
{
    private const string OffsetRequired = "must carry a UTC offset, e.g. 2026-11-22T10:00:00Z";

    // One bad element between two good ones: the bad one is rejected with this (field, reason),
    // the good ones are kept.
    public static TheoryData<string, string, string> BadReadings => new()
    {
        { "42", "reading", "must be a JSON object" },
        { "[1, 2, {\"moduleId\": \"x\"}]", "reading", "must be a JSON object" },
        { "null", "reading", "must be a JSON object" },
        { GoodJson().Replace("\"voltageV\":52.1", "\"voltageV\":\"52.1\"", StringComparison.Ordinal), "voltageV", "must be a number or null" },
        { GoodJson().Replace("\"coPpm\":0.5", "\"coPpm\":true", StringComparison.Ordinal), "coPpm", "must be a number or null" },
        { GoodJson().Replace("\"h2Ppm\":0.1", "\"h2Ppm\":{\"value\":[0.1]}", StringComparison.Ordinal), "h2Ppm", "must be a number or null" },
        { GoodJson().Replace("\"moduleId\":\"M-001\"", "\"moduleId\":7", StringComparison.Ordinal), "moduleId", "must be a string" },
        { GoodJson(extra: ",\"colour\":{\"r\":[1,2]}"), "colour", "unknown field" },
        { GoodJson().Replace("\"voltageV\":52.1", "\"voltageV\":1e999", StringComparison.Ordinal), "voltageV", "must be a finite number" },
        { GoodJson(timestamp: "2026-11-22T10:00:00"), "timestamp", OffsetRequired },
        { GoodJson(timestamp: "2026-11-22"), "timestamp", OffsetRequired },
        { GoodJson(timestamp: "yesterday"), "timestamp", "'yesterday' is not an ISO 8601 timestamp, e.g. 2026-11-22T10:00:00Z" },
        { GoodJson().Replace("\"timestamp\":\"2026-11-22T10:00:00Z\",", "", StringComparison.Ordinal), "timestamp", "is required, e.g. 2026-11-22T10:00:00Z" },
        { GoodJson().Replace("\"timestamp\":\"2026-11-22T10:00:00Z\"", "\"timestamp\":1795255200", StringComparison.Ordinal), "timestamp", "must be a string" },
        { GoodJson(timestamp: "2026-11-22T13:00:00Z"), "timestamp", "timestamp 2026-11-22T13:00:00.0000000+00:00 is more than 5 min ahead of server time 2026-11-22T12:00:00.0000000+00:00" },
        { GoodJson(timestamp: "1970-01-01T00:00:00Z"), "timestamp", "timestamp 1970-01-01T00:00:00.0000000+00:00 is before 2000-01-01T00:00:00.0000000+00:00 (unset sensor clock?)" },
        { GoodJson(moduleId: "M 001"), "moduleId", "may contain only letters, digits and _ . : -" },
        { GoodJson().Replace("\"rackId\":\"R-01\",", "", StringComparison.Ordinal), "rackId", "must not be empty" },
        { GoodJson().Replace("\"rackId\":\"R-01\"", "\"rackId\":null", StringComparison.Ordinal), "rackId", "must not be empty" },
        { GoodJson(extra: ",\"VOLTAGEV\":53"), "voltageV", "is given more than once" },

        // Escaped surrogates without their pair: valid JSON, but no Unicode text; only that reading is rejected.
        { GoodJson(moduleId: @"M-\ud800"), "moduleId", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(moduleId: @"\udc00"), "moduleId", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(moduleId: @"M-\ud800\u0041"), "moduleId", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson().Replace("\"rackId\":\"R-01\"", @"""rackId"":""R-\udbff""", StringComparison.Ordinal), "rackId", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(timestamp: @"2026-11-22T10:00:00\ud800Z"), "timestamp", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(timestamp: @"\ud800"), "timestamp", JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(extra: @",""volt\ud800ageV"":53"), @"volt\ud800ageV", "field name " + JsonReadingBatchReader.LoneSurrogate },
        { GoodJson(extra: @",""\udfff"":{""a"":[1]}"), @"\udfff", "field name " + JsonReadingBatchReader.LoneSurrogate },
    };

    [Theory]
    [MemberData(nameof(BadReadings))]
    public void Bad_reading_is_rejected_and_the_others_are_kept(string badElement, string field, string reason)
    {
        var batch = ReadJson($"[{GoodJson("M-000")},{badElement},{GoodJson("M-002")}]");

        AssertOnlyMiddleRejected(batch, field, reason);
        Assert.Equal(["M-000", "M-002"], batch.Readings.Select(r => r.Reading.ModuleId));
    }

    public static TheoryData<string, string, string> OneImplausibleChannel => new()
    {
        { GoodJson().Replace("\"voltageV\":52.1", "\"voltageV\":5000", StringComparison.Ordinal), "voltageV", "5000 V is outside the physically possible range 0..1500 V" },
        { GoodJson().Replace("\"socPercent\":80", "\"socPercent\":-10", StringComparison.Ordinal), "socPercent", "-10 % is outside the physically possible range -5..105 %" },
        { GoodJson().Replace("\"maxSurfaceTempC\":26.0", "\"maxSurfaceTempC\":20", StringComparison.Ordinal), "maxSurfaceTempC", "max surface 20 °C is below average surface 25 °C" },
    };

    [Theory]
    [MemberData(nameof(OneImplausibleChannel))]
    public void A_reading_with_one_implausible_channel_is_kept_as_sent_and_the_channel_named(string element, string field, string reason)
    {
        var batch = ReadJson($"[{GoodJson("M-000")},{element}]");

        Assert.Empty(batch.Rejected);
        Assert.Equal(2, batch.Readings.Count);
        var invalid = Assert.Single(batch.InvalidChannels);
        Assert.Equal((1, field, reason), (invalid.Index, invalid.Field, invalid.Reason));
    }

    [Fact]
    public void Every_problem_of_one_reading_is_reported_and_the_reading_is_rejected_once()
    {
        var bad = GoodJson()
            .Replace("\"voltageV\":52.1", "\"voltageV\":\"high\"", StringComparison.Ordinal)
            .Replace("\"currentA\":-3.5", "\"currentA\":9999", StringComparison.Ordinal)
            .Replace("\"moduleId\":\"M-001\"", "\"moduleId\":1", StringComparison.Ordinal);
        bad = bad[..^1] + ",\"colour\":\"red\"}";

        var batch = ReadJson($"[{GoodJson("M-000")},{bad},{GoodJson("M-002")}]");

        AssertOnlyMiddleRejected(batch, "voltageV", "must be a number or null");
        Assert.Equal(
            [
                ("moduleId", "must be a string"),
                ("voltageV", "must be a number or null"),
                ("colour", "unknown field"),
                ("currentA", "9999 A is outside the physically possible range -2000..2000 A"),
            ],
            batch.Rejected.Select(r => (r.Field, r.Reason)));
    }

    [Fact]
    public void Complete_reading_is_parsed_exactly()
    {
        var batch = ReadJson($"[{GoodJson()}]");

        Assert.Empty(batch.Rejected);
        var (index, reading) = Assert.Single(batch.Readings);
        Assert.Equal(0, index);
        Assert.Equal(new Grains.Readings.SensorReading("M-001", "R-01", TenOClock, 52.1, -3.5, 80, 25, 26, 22, 0.5, 0.1, 1.2), reading);
    }

    [Fact]
    public void Nulls_and_missing_sensors_are_null()
    {
        var batch = ReadJson("""[{"moduleId":"M-1","rackId":"R-1","timestamp":"2026-11-22T10:00:00Z","voltageV":null,"avgSurfaceTempC":30.5}]""");

        var reading = Assert.Single(batch.Readings).Reading;
        Assert.Null(reading.VoltageV);
        Assert.Null(reading.CurrentA);
        Assert.Null(reading.VocPpm);
        Assert.Equal(30.5, reading.AvgSurfaceTempC);
    }

    [Fact]
    public void Offset_is_preserved()
    {
        var batch = ReadJson($"[{GoodJson(timestamp: "2026-11-22T12:00:00.250+02:00")}]");

        var timestamp = Assert.Single(batch.Readings).Reading.Timestamp;
        Assert.Equal(TimeSpan.FromHours(2), timestamp.Offset);
        Assert.Equal(TenOClock.AddMilliseconds(250), timestamp);
    }

    [Fact]
    public void Property_names_are_case_insensitive_and_seed_column_names_are_accepted()
    {
        var batch = ReadJson("""[{"MODULEID":"M-1","RackId":"R-1","TimeStamp":"2026-11-22T10:00:00Z","Module_Voltage_V":51,"ambient_temp_rack_c":21,"co\u0050pm":3}]""");

        Assert.Empty(batch.Rejected);
        var reading = Assert.Single(batch.Readings).Reading;
        Assert.Equal(("M-1", "R-1", 51.0, 21.0, 3.0), (reading.ModuleId, reading.RackId, reading.VoltageV, reading.AmbientTempC, reading.CoPpm));
    }

    [Fact]
    public void Json_name_and_seed_column_name_of_one_field_are_a_duplicate()
    {
        var batch = ReadJson($"[{GoodJson(extra: ",\"Module_Voltage_V\":null")}]");

        Assert.Empty(batch.Readings);
        Assert.Equal([new RejectedReading(0, "voltageV", "is given more than once")], batch.Rejected);
    }

    [Fact]
    public void Duplicate_readings_are_both_kept()
    {
        var batch = ReadJson($"[{GoodJson()},{GoodJson()}]");

        Assert.Equal([0, 1], batch.Readings.Select(r => r.Index));
        Assert.Equal(batch.Readings[0].Reading, batch.Readings[1].Reading);
    }

    [Fact]
    public void Empty_array_is_an_empty_batch()
    {
        var batch = ReadJson(" [ ] \r\n");

        Assert.Equal((0, 0, 0), (batch.Total, batch.Readings.Count, batch.Rejected.Count));
    }

    [Fact]
    public void Byte_order_mark_is_tolerated()
    {
        var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($"[{GoodJson()}]")).ToArray();

        var batch = Json().Read(body, Now);

        Assert.Single(batch.Readings);
    }

    [Theory]
    [InlineData("", 400, "must be a JSON array of readings")]
    [InlineData("  \r\n\t", 400, "must be a JSON array of readings")]
    [InlineData("{\"moduleId\":\"M-1\"}", 400, "must be a JSON array of readings")]
    [InlineData("\"readings\"", 400, "must be a JSON array of readings")]
    [InlineData("[] []", 400, "has content after the JSON array at line 1, byte 4")]
    [InlineData("[]\nx", 400, "has content after the JSON array at line 2, byte 1")]
    public void Whole_batch_problems_throw(string body, int status, string reason)
    {
        var ex = Assert.Throws<BatchFormatException>(() => ReadJson(body));

        Assert.Equal((status, "body", reason), (ex.StatusCode, ex.Field, ex.Reason));
    }

    [Theory]
    [InlineData("[{\"moduleId\": }]", "is not valid JSON at line 1, byte 15")]
    [InlineData("[\n{\"moduleId\":\"M-1\"},\n{\"moduleId\" \"M-2\"}]", "is not valid JSON at line 3, byte 13")]
    [InlineData("[{\"moduleId\":\"M-1\"},]", "is not valid JSON at line 1, byte 21")]
    [InlineData("[{\"moduleId\":\"M-1\"", "is not valid JSON")]
    [InlineData("[1, // comment\n 2]", "is not valid JSON at line 1, byte 5")]
    public void Malformed_json_is_rejected_with_its_position(string body, string reasonStart)
    {
        var ex = Assert.Throws<BatchFormatException>(() => ReadJson($"{body}"));

        Assert.Equal((400, "body"), (ex.StatusCode, ex.Field));
        Assert.StartsWith(reasonStart, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_after_good_readings_still_fails_the_batch()
    {
        var ex = Assert.Throws<BatchFormatException>(() => ReadJson($"[{GoodJson()},{GoodJson()}, {{\"moduleId\" 1}}]"));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("is not valid JSON at line 1", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_surrogate_pair_and_unknown_text_around_a_lone_surrogate_are_read()
    {
        var batch = ReadJson($"[{GoodJson(extra: @",""\ud83d\udd25"":1")},{GoodJson(moduleId: @"M-\u0041")}]");

        Assert.Equal("\U0001F525", Assert.Single(batch.Rejected).Field);
        Assert.Equal("M-A", Assert.Single(batch.Readings).Reading.ModuleId);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        var body = Encoding.UTF8.GetBytes($"[{GoodJson(moduleId: "M-#")}]");
        body[Array.IndexOf(body, (byte)'#')] = 0xFF;

        var ex = Assert.Throws<BatchFormatException>(() => Json().Read(body, Now));

        Assert.Equal((400, "body"), (ex.StatusCode, ex.Field));
        Assert.Contains("UTF-8", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_readings_are_accepted()
    {
        var batch = ReadJson(ManyJson(10_000));

        Assert.Equal(10_000, batch.Total);
        Assert.Equal(10_000, batch.Readings.Count);
        Assert.Empty(batch.Rejected);
        Assert.Equal((9_999, "M-9999"), (batch.Readings[^1].Index, batch.Readings[^1].Reading.ModuleId));
    }

    [Fact]
    public void Ten_thousand_and_one_readings_are_too_many()
    {
        var ex = Assert.Throws<BatchFormatException>(() => ReadJson(ManyJson(10_001)));

        Assert.Equal((413, "body", "at most 10000 readings per batch"), (ex.StatusCode, ex.Field, ex.Reason));
    }

    [Fact]
    public void Bad_elements_count_towards_the_limit()
    {
        var options = new IngestOptions { MaxBatchReadings = 2 };

        Assert.Equal(2, ReadJson("[1, 2]", options).Total);
        var ex = Assert.Throws<BatchFormatException>(() => ReadJson("[1, 2, 3]", options));
        Assert.Equal((413, "at most 2 readings per batch"), (ex.StatusCode, ex.Reason));
    }

    [Fact]
    public void Body_larger_than_the_limit_is_too_large()
    {
        var body = $"[{GoodJson()}]";
        var options = new IngestOptions { MaxBodyBytes = body.Length - 1 };

        var ex = Assert.Throws<BatchFormatException>(() => ReadJson(body, options));

        Assert.Equal((413, "body"), (ex.StatusCode, ex.Field));
        Assert.Single(ReadJson(body, new IngestOptions { MaxBodyBytes = body.Length }).Readings);
    }

    [Fact]
    public void Options_default_and_must_be_positive()
    {
        var options = new IngestOptions();
        Assert.Equal((10_000, 8L * 1024 * 1024, "Hvs:Ingest"), (options.MaxBatchReadings, options.MaxBodyBytes, IngestOptions.SectionName));

        Assert.Throws<ArgumentOutOfRangeException>(() => Json(new IngestOptions { MaxBatchReadings = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Csv(new IngestOptions { MaxBodyBytes = 0 }));
    }
}
