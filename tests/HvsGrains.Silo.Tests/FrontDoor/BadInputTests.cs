using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>Each kind of bad input gets its own 4xx with the field and reason named, and no good reading is lost.</summary>
public sealed class BadInputTests : IClassFixture<BadInputTests.Silo>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly Silo _silo;

    public BadInputTests(Silo silo) => _silo = silo;

    /// <summary>A bad reading beside a good one: 422, the bad one named, the good one kept.</summary>
    public static TheoryData<string, string, string> BadReadings => new()
    {
        { "string-for-number", """{"moduleId":"M","rackId":"R","timestamp":"T","voltageV":"fifty"}""", "voltageV" },
        { "number-for-id", """{"moduleId":42,"rackId":"R","timestamp":"T"}""", "moduleId" },
        { "missing-module", """{"rackId":"R","timestamp":"T"}""", "moduleId" },
        { "missing-timestamp", """{"moduleId":"M","rackId":"R"}""", "timestamp" },
        { "no-offset", """{"moduleId":"M","rackId":"R","timestamp":"2026-11-22T10:00:00"}""", "timestamp" },
        { "far-future", """{"moduleId":"M","rackId":"R","timestamp":"2099-01-01T00:00:00Z"}""", "timestamp" },
        { "not-a-date", """{"moduleId":"M","rackId":"R","timestamp":"yesterday"}""", "timestamp" },
        { "impossible-temperature", """{"moduleId":"M","rackId":"R","timestamp":"T","avgSurfaceTempC":5000}""", "avgSurfaceTempC" },
        { "impossible-soc", """{"moduleId":"M","rackId":"R","timestamp":"T","socPercent":150}""", "socPercent" },
        { "negative-gas", """{"moduleId":"M","rackId":"R","timestamp":"T","coPpm":-3}""", "coPpm" },
        { "non-finite", """{"moduleId":"M","rackId":"R","timestamp":"T","h2Ppm":1e999}""", "h2Ppm" },
        { "unknown-field", """{"moduleId":"M","rackId":"R","timestamp":"T","temperature":30}""", "temperature" },
        { "not-an-object", "42", "reading" },
        { "unsafe-id", """{"moduleId":"Rack A/1","rackId":"R","timestamp":"T"}""", "moduleId" },
        { "empty-rack", """{"moduleId":"M","rackId":"","timestamp":"T"}""", "rackId" },
        { "all-channels-absurd", """{"moduleId":"M","rackId":"R","timestamp":"T","avgSurfaceTempC":5000,"coPpm":-3,"voltageV":-1}""", "voltageV" },

        // Fuzz finds of issue 12: an escaped lone surrogate once turned the whole batch into a 500.
        { "lone-surrogate-module", """{"moduleId":"M\ud800","rackId":"R","timestamp":"T"}""", "moduleId" },
        { "lone-surrogate-rack", """{"moduleId":"M","rackId":"\udc00","timestamp":"T"}""", "rackId" },
        { "lone-surrogate-timestamp", """{"moduleId":"M","rackId":"R","timestamp":"2026-11-22T10:00:00\ud800Z"}""", "timestamp" },
        { "lone-surrogate-field-name", """{"moduleId":"M","rackId":"R","timestamp":"T","volt\ud800ageV":50}""", @"volt\ud800ageV" },
    };

    /// <summary>History queries at the edges of time and of int: 400 naming the parameter, never an overflow.</summary>
    public static TheoryData<string, string> BadHistoryQueries => new()
    {
        { "to=0001-01-01T00:00:00Z", "to" },
        { "to=0001-01-01T00:59:59.9999999Z", "to" },
        { "to=0001-01-01T10:00:00%2B10:00", "to" },
        { "from=9999-12-31T23:59:59.9999999Z", "from" },
        { "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from" },
        { "from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from" },
        { "from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.9999999Z", "to" },
        { "from=0001-01-01T00:00:00%2B01:00", "from" },
        { "to=9999-12-31T23:59:59-01:00", "to" },
        { "from=yesterday", "from" },
        { "limit=0", "limit" },
        { "limit=-2147483648", "limit" },
        { "limit=2147483648", "limit" },
        { "limit=10001", "limit" },
        { "limit=1e3", "limit" },
    };

    /// <summary>A batch that cannot be read at all: its status and the field named; earlier readings stay.</summary>
    public static TheoryData<string, string, string, int, string> BadBatches => new()
    {
        { "malformed-json", "application/json", """[{"moduleId":"M",""", 400, "body" },
        { "not-an-array", "application/json", """{"moduleId":"M"}""", 400, "body" },
        { "empty-body", "application/json", "", 400, "body" },
        { "too-many-readings", "application/json", "[" + string.Join(",", Enumerable.Repeat("{}", 51)) + "]", 413, "body" },
        { "too-many-bytes", "application/json", "[" + new string(' ', 70_000) + "]", 413, "body" },
        { "wrong-content-type", "text/plain", "[]", 415, "Content-Type" },
    };

    [Theory]
    [MemberData(nameof(BadReadings))]
    public async Task A_bad_reading_is_rejected_by_field_and_the_good_one_beside_it_is_kept(string name, string bad, string field)
    {
        var module = $"Bad_{name}";
        var good = JsonSerializer.Serialize(HeatingSequence.Normal(module, "RackBad", Now), SiloHost.Json);
        var body = $"[{good},{bad.Replace("\"M\"", $"\"{module}\"").Replace("\"R\"", "\"RackBad\"").Replace("\"T\"", $"\"{Now.AddSeconds(10):O}\"")}]";

        using var response = await _silo.Ingest.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, problem.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(problem.GetProperty("rejected").EnumerateArray().DistinctBy(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(1, rejected.GetProperty("index").GetInt32());
        Assert.Contains(problem.GetProperty("rejected").EnumerateArray(), r => r.GetProperty("field").GetString() == field);
        Assert.False(string.IsNullOrWhiteSpace(rejected.GetProperty("reason").GetString()));
        Assert.True(problem.GetProperty("errors").TryGetProperty($"[1].{field}", out _));
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task An_unreadable_batch_gets_its_status_and_loses_no_reading_accepted_before(string name, string contentType, string body, int status, string field)
    {
        var module = $"Batch_{name}";
        Assert.Equal(HttpStatusCode.OK, (await _silo.Ingest.PostReadingsAsync([HeatingSequence.Normal(module, "RackBad", Now)])).StatusCode);

        using var response = await _silo.Ingest.PostAsync("/api/v1/readings", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, (int)response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var reasons), problem.ToString());
        Assert.False(string.IsNullOrWhiteSpace(reasons[0].GetString()));
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Theory]
    [MemberData(nameof(BadHistoryQueries))]
    public async Task A_history_query_out_of_bounds_is_400_naming_the_parameter(string query, string parameter)
    {
        var module = "History_Edges";
        Assert.Equal(HttpStatusCode.OK, (await _silo.Ingest.PostReadingsAsync([HeatingSequence.Normal(module, "RackBad", Now)])).StatusCode);

        using var response = await _silo.Read.GetAsync($"/api/v1/modules/{module}/readings?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out var reasons), problem.ToString());
        Assert.False(string.IsNullOrWhiteSpace(reasons[0].GetString()));
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-01T01:00:00Z")]
    [InlineData("to=0001-01-01T01:00:00Z")]
    [InlineData("to=0001-01-01T00:30:00-05:00")]
    [InlineData("from=9999-12-31T00:00:00Z&to=9999-12-31T23:59:59.9999999Z")]
    [InlineData("from=9999-12-31T23:59:59.9999998Z&to=9999-12-31T23:59:59.9999999Z&limit=1")]
    [InlineData("limit=10000")]
    public async Task A_history_query_at_the_edges_but_within_bounds_is_answered(string query)
    {
        using var response = await _silo.Read.GetAsync($"/api/v1/modules/History_Edges/readings?{query}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(history.GetProperty("from").GetDateTimeOffset() < history.GetProperty("to").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("/api/v1/readings", "application/json", new byte[] { 0xFF })]
    [InlineData("/api/v1/readings", "application/json", new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData("/api/v1/readings/csv", "text/csv", new byte[] { 0xFF })]
    [InlineData("/api/v1/readings/csv", "text/csv", new byte[] { 0xED, 0xA0, 0x80 })]
    public async Task Bytes_that_are_no_utf8_in_an_id_fail_the_batch_with_400_naming_the_body(string path, string mediaType, byte[] bad)
    {
        var module = $"Utf8_{mediaType.Replace('/', '_')}_{bad.Length}";
        Assert.Equal(HttpStatusCode.OK, (await _silo.Ingest.PostReadingsAsync([HeatingSequence.Normal(module, "RackBad", Now)])).StatusCode);
        var text = path.EndsWith("csv", StringComparison.Ordinal)
            ? $"Timestamp,Module_ID,Rack_ID\n{Now.AddSeconds(10):O},{module},RackBad\n{Now.AddSeconds(20):O},{module}#,RackBad\n"
            : $$"""[{"moduleId":"{{module}}#","rackId":"RackBad","timestamp":"{{Now.AddSeconds(20):O}}"}]""";
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        var at = bytes.IndexOf((byte)'#');
        bytes.RemoveAt(at);
        bytes.InsertRange(at, bad);

        using var content = new ByteArrayContent([.. bytes]);
        content.Headers.ContentType = new(mediaType);
        using var response = await _silo.Ingest.PostAsync(path, content);

        // Not UTF-8 is not JSON (RFC 8259) nor text: unlike an escaped lone surrogate, nothing of the body can be trusted.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("UTF-8", problem.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Theory]
    [InlineData("/api/v1/modules/%20")]
    [InlineData("/api/v1/racks/%20%20")]
    [InlineData("/api/v1/stream/modules/%20")]
    [InlineData("/api/v1/modules/%ED%A0%80")]
    public async Task An_id_no_reading_may_carry_is_404_not_a_server_error(string path)
    {
        using var response = await _silo.Read.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Csv_with_a_missing_id_column_or_a_bad_cell_is_refused_by_name_and_good_rows_kept()
    {
        const string header = "Timestamp,Module_ID,Rack_ID,Module_Max_Surface_Temp_C,Hazard_Label";
        var noModule = $"Timestamp,Rack_ID\n{Now:O},RackCsv\n";
        using var missing = await _silo.Ingest.PostAsync("/api/v1/readings/csv", new StringContent(noModule, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("Module_ID", await missing.Content.ReadAsStringAsync());

        var rows = $"{header}\n{Now:yyyy-MM-dd HH:mm:ss},Csv_M1,RackCsv,31.5,0\n{Now.AddSeconds(10):yyyy-MM-dd HH:mm:ss},Csv_M1,RackCsv,hot,0\n";
        using var mixed = await _silo.Ingest.PostAsync("/api/v1/readings/csv", new StringContent(rows, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mixed.StatusCode);
        var problem = await mixed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("maxSurfaceTempC", problem.GetProperty("rejected")[0].GetProperty("field").GetString());
        Assert.Equal(1, await _silo.CountLoggedAsync("Csv_M1"));
    }

    [Fact]
    public async Task A_chunked_body_without_a_length_is_still_held_to_the_byte_limit()
    {
        var module = "Batch_too-many-bytes-chunked";
        Assert.Equal(HttpStatusCode.OK, (await _silo.Ingest.PostReadingsAsync([HeatingSequence.Normal(module, "RackBad", Now)])).StatusCode);

        using var response = await _silo.Ingest.PostAsync("/api/v1/readings", new ChunkedContent("[" + new string(' ', 200_000) + "]", "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task A_repeated_reading_is_counted_once()
    {
        var reading = HeatingSequence.Normal("Dup_M1", "RackBad", Now);
        await _silo.Ingest.PostReadingsAsync([reading]);

        using var again = await _silo.Ingest.PostReadingsAsync([reading, reading]);

        var result = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, result.GetProperty("accepted").GetInt32());
        Assert.Equal(2, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, await _silo.CountLoggedAsync("Dup_M1"));
    }

    public sealed class Silo : IDisposable
    {
        private readonly DataFolder _data = new();
        private readonly SiloHost _host;

        public Silo()
        {
            _host = new SiloHost(_data.Path, new() { ["Hvs:Ingest:MaxBatchReadings"] = "50", ["Hvs:Ingest:MaxBodyBytes"] = "65536" });
            Ingest = _host.ClientWithKey(SiloHost.IngestKey);
            Read = _host.ClientWithKey(SiloHost.ReadKey);
            Anonymous = _host.ClientWithKey(null);
        }

        /// <summary>A client without a key: each request brings its own.</summary>
        public HttpClient Anonymous { get; }

        public HttpClient Ingest { get; }

        public HttpClient Read { get; }

        public async Task<int> CountLoggedAsync(string module)
        {
            var from = Uri.EscapeDataString(Now.AddHours(-1).ToString("O"));
            return (await Read.GetJsonAsync($"/api/v1/modules/{module}/readings?from={from}")).GetProperty("readings").GetArrayLength();
        }

        public void Dispose()
        {
            _host.Dispose();
            _data.Dispose();
        }
    }
}
