using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// Seeded mutations of valid JSON and CSV batches, query strings and other bodies, a few thousand requests
/// in-process: every answer is below 500, and the reading acknowledged before the storm is still there.
/// Deterministic: the same seeds make the same requests; a failure names the request that failed.
/// </summary>
public sealed class FuzzTests : IClassFixture<BadInputTests.Silo>
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(-30);

    // What breaks readers: JSON and CSV syntax, escapes without their pair, bytes that are no UTF-8, edges of numbers and time.
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"", "\\", "{", "}", "[", "]", ",", ":", "\n", "\r", " ", "-", "e", "0", "null", "true",
            "\\ud800", "\\udc00", "\\udbff\\u0041", "\\u0000", "\\ud83d\\udd25", "\\", "\\u12", "1e999", "-1e999", "NaN", "Infinity",
            "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "+14:00", "2026-11-30 07:00:00",
            "{\"a\":", "[[[[[[[[", "\uFEFF", new string('a', 300), "1" + new string('0', 400),
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00],
    ];

    private static readonly string[] Times =
    [
        "", "0001-01-01T00:00:00Z", "0001-01-01T00:59:59Z", "0001-01-01T00:30:00-05:00", "0001-01-01T10:00:00%2B10:00",
        "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59%2B14:00", "2026-11-30T07:00:00Z",
        "2026-11-30", "yesterday", "%ED%A0%80", "%FF", "%00", "1e999", "-1", new string('9', 300),
    ];

    private static readonly string[] Limits = ["", "0", "1", "-1", "10000", "10001", "2147483647", "2147483648", "-2147483649", "1e3", "%FF", " 5", "0x10"];

    // No %00: the test host refuses such a path before the silo sees it (and Kestrel answers it 400 itself).
    private static readonly string[] Ids = ["M", "Fuzz_Kept", "%ED%A0%80", "%FF%FE", "%01", "a%2Fb", "..", "%20", new string('x', 500), "%F0%9F%94%A5"];

    private readonly BadInputTests.Silo _silo;

    public FuzzTests(BadInputTests.Silo silo) => _silo = silo;

    [Fact]
    public async Task Mutated_json_batches_never_get_a_server_error()
    {
        var module = await AcknowledgeOneAsync("Fuzz_Json");
        var valid = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(
            new[] { HeatingSequence.Normal("Fuzz_J1", "RackFuzz", Now), HeatingSequence.Normal("Fuzz_J2", "RackFuzz", Now), HeatingSequence.Normal("Fuzz_J3", "RackFuzz", Now) },
            SiloHost.Json));

        var failures = await SendMutationsAsync(seed: 12, count: 1200, valid, body => Post("/api/v1/readings", body, "application/json"));

        Assert.Empty(failures);
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task Mutated_csv_batches_never_get_a_server_error()
    {
        var module = await AcknowledgeOneAsync("Fuzz_Csv");
        var at = Now.AddMinutes(1);
        var valid = Encoding.UTF8.GetBytes(
            "Timestamp,Module_ID,Rack_ID,Module_Voltage_V,Module_Current_A,Module_SOC_pct,Module_Avg_Surface_Temp_C,Module_Max_Surface_Temp_C,Hazard_Label\n" +
            $"{at:yyyy-MM-dd HH:mm:ss},Fuzz_C1,RackFuzz,51.2,12,62,26,27,0\n{at:O},Fuzz_C2,RackFuzz,51.2,12,62,26,27,0\n\"{at:O}\",\"Fuzz_C3\",RackFuzz,NaN,,62,26,27,0\n");

        var failures = await SendMutationsAsync(seed: 34, count: 700, valid, body => Post("/api/v1/readings/csv", body, "text/csv"));

        Assert.Empty(failures);
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task Mutated_query_strings_and_ids_never_get_a_server_error()
    {
        var module = await AcknowledgeOneAsync("Fuzz_Query");
        var random = new Random(56);
        var failures = new List<string>();
        for (var i = 0; i < 600; i++)
        {
            var id = Pick(random, Ids);
            var path = random.Next(5) switch
            {
                0 => $"/api/v1/modules/{id}",
                1 => $"/api/v1/racks/{id}",
                2 => $"/api/v1/alarms?state={Pick(random, ["open", "", "OPEN", "3", "-1", "%ED%A0%80", "cleared,open", "Acknowledged"])}",
                _ => $"/api/v1/modules/{id}/readings?" + string.Join('&', new[]
                {
                    random.Next(3) == 0 ? null : $"from={Pick(random, Times)}",
                    random.Next(3) == 0 ? null : $"to={Pick(random, Times)}",
                    random.Next(2) == 0 ? null : $"limit={Pick(random, Limits)}",
                    random.Next(6) == 0 ? $"{Pick(random, Ids)}={Pick(random, Times)}" : null,
                }.Where(p => p is not null)),
            };
            using var response = await _silo.Read.GetAsync(path);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task Mutated_acknowledgements_models_and_sign_in_forms_never_get_a_server_error()
    {
        var failures = new List<string>();
        failures.AddRange(await SendMutationsAsync(seed: 78, count: 200, """{"by":"night shift"}"""u8.ToArray(),
            body => Post("/api/v1/alarms/ALM-1/ack", body, "application/json")));
        failures.AddRange(await SendMutationsAsync(seed: 90, count: 100, "key=abc&returnUrl=%2Fdashboard%2Forleans%2F"u8.ToArray(),
            body => Post("/dashboard/sign-in", body, "application/x-www-form-urlencoded")));

        var random = new Random(91);
        for (var i = 0; i < 20; i++)
        {
            var model = new byte[random.Next(0, 4096)];
            random.NextBytes(model);
            using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/models") { Content = new ByteArrayContent(model) };
            upload.Content.Headers.ContentType = new("application/octet-stream");
            upload.Headers.Add("X-Api-Key", SiloHost.AdminKey);
            using var response = await _silo.Anonymous.SendAsync(upload);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"model of {model.Length} random bytes: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>One to four mutations of <paramref name="valid"/> per request: replace, insert (often right after a quote, into a name or value), delete, repeat or cut.</summary>
    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        for (var n = random.Next(1, 5); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            var length = Math.Min(random.Next(1, 24), bytes.Count - at);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = Pick(random, Tokens)[0];
                    break;
                case 1:
                    bytes.InsertRange(at, Pick(random, Tokens));
                    break;
                case 2:
                    var quotes = bytes.Select((b, i) => (b, i)).Where(x => x.b == (byte)'"').Select(x => x.i).ToList();
                    bytes.InsertRange(quotes.Count == 0 ? at : Pick(random, quotes) + 1, Pick(random, Tokens));
                    break;
                case 3:
                    bytes.RemoveRange(at, length);
                    break;
                case 4:
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private async Task<List<string>> SendMutationsAsync(int seed, int count, byte[] valid, Func<byte[], HttpRequestMessage> request)
    {
        var random = new Random(seed);
        var failures = new List<string>();
        var statuses = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var body = Mutate(random, valid);
            using var message = request(body);
            using var response = await _silo.Anonymous.SendAsync(message);
            statuses.Add((int)response.StatusCode);
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"seed {seed} #{i} {message.RequestUri}: {(int)response.StatusCode} for body {Convert.ToBase64String(body)}");
            }
        }

        // The mutations reached the endpoint's own checks, not just the door.
        Assert.Contains(StatusCodes.Status400BadRequest, statuses);
        Assert.DoesNotContain(StatusCodes.Status401Unauthorized, statuses);
        return failures;
    }

    private static HttpRequestMessage Post(string path, byte[] body, string mediaType)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        message.Headers.Add("X-Api-Key", path.Contains("/alarms/", StringComparison.Ordinal) ? SiloHost.OperatorKey : SiloHost.IngestKey);
        return message;
    }

    private async Task<string> AcknowledgeOneAsync(string module)
    {
        using var response = await _silo.Ingest.PostReadingsAsync([HeatingSequence.Normal(module, "RackFuzz", Now)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return module;
    }
}
