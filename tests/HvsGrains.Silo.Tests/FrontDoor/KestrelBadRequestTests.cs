using System.Net;
using System.Text.Json;
using HvsGrains.Silo.Endpoints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// Kestrel's own bad-request errors, through a real socket: a slow body is 408, a bad chunk 400, each with a
/// problem-details body; a body cut short gets no 5xx; nothing acknowledged before is lost; and the log gets
/// one line per interval, without a stack trace.
/// </summary>
public sealed class KestrelBadRequestTests : IClassFixture<KestrelBadRequestTests.Silo>
{
    private const string Ingest = "X-Api-Key: " + SiloHost.IngestKey;
    private const string Admin = "X-Api-Key: " + SiloHost.AdminKey;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow.AddMinutes(-30);
    private readonly Silo _silo;

    public KestrelBadRequestTests(Silo silo) => _silo = silo;

    /// <summary>A bad chunk size or a chunk longer than it said, on every endpoint that reads a body.</summary>
    public static TheoryData<string, string> BadChunks => new()
    {
        { "POST /api/v1/readings HTTP/1.1\r\nContent-Type: application/json\r\n" + Ingest, "zz\r\n[]\r\n0\r\n\r\n" },
        { "POST /api/v1/readings HTTP/1.1\r\nContent-Type: application/json\r\n" + Ingest, "2\r\n[]]]]\r\n0\r\n\r\n" },
        { "POST /api/v1/readings/csv HTTP/1.1\r\nContent-Type: text/csv\r\n" + Ingest, "fffffffffffffffff\r\nTimestamp\r\n0\r\n\r\n" },
        { "POST /api/v1/admin/models HTTP/1.1\r\nContent-Type: application/octet-stream\r\n" + Admin, "5\r\nabcdeXX\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(BadChunks))]
    public async Task A_bad_chunk_is_400_with_a_problem_naming_the_body_and_loses_nothing(string head, string chunkedBody)
    {
        var module = await _silo.AcknowledgeOneAsync();

        var answer = await RawHttp.SendAsync(_silo.Address, head + "\r\nTransfer-Encoding: chunked", chunkedBody);

        AssertProblem(answer, HttpStatusCode.BadRequest, "body");
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Theory]
    [InlineData("POST /api/v1/alarms/ALM-1/ack HTTP/1.1\r\nContent-Type: application/json\r\nX-Api-Key: " + SiloHost.OperatorKey)]
    public async Task A_bad_chunk_or_a_slow_body_elsewhere_is_a_client_error_too(string head)
    {
        var badChunk = await RawHttp.SendAsync(_silo.Address, head + "\r\nTransfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n");
        var slow = await RawHttp.SendAsync(_silo.Address, head + "\r\nContent-Length: 10000", "{");

        Assert.True(badChunk?.StatusCode is >= 400 and < 500, $"bad chunk: {badChunk?.StatusCode}");
        Assert.True(slow?.StatusCode is >= 400 and < 500, $"slow body: {slow?.StatusCode}");
    }

    [Fact]
    public async Task The_sign_in_form_answers_a_bad_chunk_400_and_a_slow_body_408_with_problems()
    {
        const string head = "POST /dashboard/sign-in HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded";

        AssertProblem(await RawHttp.SendAsync(_silo.Address, head + "\r\nTransfer-Encoding: chunked", "zz\r\nkey=a\r\n0\r\n\r\n"), HttpStatusCode.BadRequest, "body");
        AssertProblem(await RawHttp.SendAsync(_silo.Address, head + "\r\nContent-Length: 10000", "key="), HttpStatusCode.RequestTimeout, "body");
    }

    [Theory]
    [InlineData("/api/v1/readings", "application/json", Ingest)]
    [InlineData("/api/v1/readings/csv", "text/csv", Ingest)]
    [InlineData("/api/v1/admin/models", "application/octet-stream", Admin)]
    public async Task A_body_slower_than_the_minimum_rate_is_408_with_a_problem_and_loses_nothing(string path, string contentType, string key)
    {
        var module = await _silo.AcknowledgeOneAsync();

        // One byte of the 10,000 promised, then silence.
        var answer = await RawHttp.SendAsync(_silo.Address, $"POST {path} HTTP/1.1\r\nContent-Type: {contentType}\r\nContent-Length: 10000\r\n{key}", "[");

        AssertProblem(answer, HttpStatusCode.RequestTimeout, "body");
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task A_model_beyond_the_upload_limit_is_413_with_a_problem()
    {
        // The upload limit is 64 MiB (above Kestrel's default of 30 MB, raised for this endpoint).
        var answer = await RawHttp.SendAsync(
            _silo.Address, $"POST /api/v1/admin/models HTTP/1.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 70000000\r\n{Admin}", "onnx");

        AssertProblem(answer, HttpStatusCode.RequestEntityTooLarge, "body");
    }

    [Fact]
    public async Task A_model_above_kestrels_default_limit_but_within_the_upload_limit_is_read_and_judged()
    {
        // 31 MB of zeros: beyond Kestrel's default of 30 MB, so only the endpoint's own limit lets it through to validation.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_silo.Address, "/api/v1/admin/models"))
        {
            Content = new ByteArrayContent(new byte[31_000_000]) { Headers = { ContentType = new("application/octet-stream") } },
        };
        request.Headers.Add("X-Api-Key", SiloHost.AdminKey);

        using var answer = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_gets_no_5xx_and_loses_nothing()
    {
        var module = await _silo.AcknowledgeOneAsync();

        var answer = await RawHttp.SendAsync(
            _silo.Address, $"POST /api/v1/readings HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n{Ingest}", "[]", closeSending: true);

        // The client has stopped sending; Kestrel may still answer, but never with a server error.
        Assert.True(answer is null || answer.StatusCode is >= 400 and < 500, $"answered {answer?.StatusCode}");
        Assert.Equal(1, await _silo.CountLoggedAsync(module));
    }

    [Fact]
    public async Task Client_errors_are_logged_without_stack_traces_at_most_one_line_per_interval()
    {
        var before = _silo.Log.Entries.Count;
        for (var i = 0; i < 10; i++)
        {
            var answer = await RawHttp.SendAsync(
                _silo.Address, $"POST /api/v1/readings HTTP/1.1\r\nContent-Type: application/json\r\n{Ingest}\r\nTransfer-Encoding: chunked", "zz\r\n\r\n");
            Assert.Equal(400, answer?.StatusCode);
            using var badQuery = await _silo.Read.GetAsync("/api/v1/modules/M/readings?limit=many");
            Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        }

        // The web host's own entries (Orleans' background work is not under test here).
        var during = _silo.Log.Entries.Skip(before)
            .Where(e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || e.Category.StartsWith("HvsGrains.Silo", StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(during, e => e.Exception is not null);
        Assert.DoesNotContain(during, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(during, e => e.Message.Contains("   at ", StringComparison.Ordinal));

        // The interval is an hour: however many client errors the fixture's tests made, one line says so.
        var lines = _silo.Log.Entries.Where(e => e.Category == typeof(ClientErrorLog).FullName).ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith("Client error 4", line.Message, StringComparison.Ordinal);
    }

    private static void AssertProblem(RawHttp.Answer? answer, HttpStatusCode status, string field)
    {
        Assert.NotNull(answer);
        Assert.Equal((int)status, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.ContentType);
        var problem = Assert.IsType<JsonElement>(answer.Problem);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var reasons), problem.ToString());
        Assert.False(string.IsNullOrWhiteSpace(reasons[0].GetString()));
    }

    /// <summary>The silo on Kestrel on a loopback port, with a short grace period for slow bodies and its log captured.</summary>
    public sealed class Silo : IDisposable
    {
        private readonly DataFolder _data = new();
        private readonly SiloHost _host;
        private readonly WebApplicationFactory<Program> _kestrel;
        private int _modules;

        public Silo()
        {
            _host = new SiloHost(_data.Path, new() { ["Hvs:ClientErrors:LogInterval"] = "01:00:00" });
            _kestrel = _host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(Log)));
            _kestrel.UseKestrel(o =>
            {
                o.Listen(IPAddress.Loopback, 0);
                o.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2));
            });
            _kestrel.StartServer();
            Address = new Uri(_kestrel.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            IngestClient = Client(SiloHost.IngestKey);
            Read = Client(SiloHost.ReadKey);
        }

        public CapturedLog Log { get; } = new();

        public Uri Address { get; }

        public HttpClient IngestClient { get; }

        public HttpClient Read { get; }

        /// <summary>Posts one good reading of a new module and returns the module.</summary>
        public async Task<string> AcknowledgeOneAsync()
        {
            var module = $"Kestrel_M{Interlocked.Increment(ref _modules)}";
            using var response = await IngestClient.PostReadingsAsync([HeatingSequence.Normal(module, "RackKestrel", Now)]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return module;
        }

        public async Task<int> CountLoggedAsync(string module)
        {
            var from = Uri.EscapeDataString(Now.AddHours(-1).ToString("O"));
            return (await Read.GetJsonAsync($"/api/v1/modules/{module}/readings?from={from}")).GetProperty("readings").GetArrayLength();
        }

        public void Dispose()
        {
            IngestClient.Dispose();
            Read.Dispose();
            _kestrel.Dispose();
            _host.Dispose();
            _data.Dispose();
        }

        private HttpClient Client(string key)
        {
            var client = new HttpClient { BaseAddress = Address };
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
            return client;
        }
    }
}
