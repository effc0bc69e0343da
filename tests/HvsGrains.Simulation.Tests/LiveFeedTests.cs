using System.Collections.Concurrent;
using System.Text.Json;
using HvsGrains.Simulation.Feed;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Simulation.Tests;

/// <summary>The live feed against a tiny in-test front door on 127.0.0.1 (Kestrel, dynamic port).</summary>
public sealed class LiveFeedTests : IAsyncLifetime
{
    private static readonly string[] JsonFields =
    [
        "moduleId", "rackId", "timestamp", "voltageV", "currentA", "socPercent", "avgSurfaceTempC",
        "maxSurfaceTempC", "ambientTempC", "coPpm", "h2Ppm", "vocPpm",
    ];

    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentQueue<Func<IResult>> _answers = new();
    private WebApplication _app = null!;
    private Uri _url = null!;

    private sealed record Received(string? ApiKey, string? ContentType, string Body, DateTimeOffset At);

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/api/v1/readings", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            string body = await reader.ReadToEndAsync();
            _received.Enqueue(new Received(request.Headers["X-Api-Key"], request.ContentType, body, DateTimeOffset.UtcNow));
            return _answers.TryDequeue(out Func<IResult>? answer) ? answer() : Results.Ok(new { accepted = 1 });
        });
        await _app.StartAsync();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = new Uri(address);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private FeedOptions Options() => new()
    {
        Url = _url,
        ApiKey = "test-key",
        Racks = 2,
        ModulesPerRack = 3,
        Speed = 0,
        Duration = TimeSpan.FromMinutes(10),
        Batch = 100,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        GasSensing = GasSensing.SharedInModuleReadings, // module readings only: the counts below are modules × samples
    };

    [Fact]
    public async Task Feed_posts_camel_case_json_batches_with_the_api_key()
    {
        using var http = new HttpClient();
        var output = new StringWriter();
        DateTimeOffset before = DateTimeOffset.UtcNow;
        FeedResult result = await LiveFeed.RunAsync(Options(), http, output);

        // 2 racks × 3 modules × 60 samples (10 min at 10 s) = 360 readings in batches of 100.
        Assert.Equal(360, result.ReadingsGenerated);
        Assert.Equal(360, result.ReadingsSent);
        Assert.Equal(4, result.Batches);
        Received[] posts = [.. _received];
        Assert.Equal(4, posts.Length);
        Assert.All(posts, p => Assert.Equal("test-key", p.ApiKey));
        Assert.All(posts, p => Assert.StartsWith("application/json", p.ContentType, StringComparison.Ordinal));

        var lastByModule = new Dictionary<string, DateTimeOffset>();
        var counts = new List<int>();
        foreach (Received post in posts)
        {
            using JsonDocument doc = JsonDocument.Parse(post.Body);
            Assert.Equal(JsonValueKind.Array, doc.RootElement.ValueKind);
            counts.Add(doc.RootElement.GetArrayLength());
            foreach (JsonElement reading in doc.RootElement.EnumerateArray())
            {
                Assert.Equal(JsonFields, reading.EnumerateObject().Select(p => p.Name));
                string stamp = reading.GetProperty("timestamp").GetString()!;
                Assert.Matches(@"T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$", stamp);
                DateTimeOffset ts = reading.GetProperty("timestamp").GetDateTimeOffset();
                Assert.True(ts <= post.At.AddSeconds(1), $"{stamp} is in the future of {post.At:O}");
                string module = reading.GetProperty("moduleId").GetString()!;
                Assert.StartsWith(reading.GetProperty("rackId").GetString()! + "_Module", module, StringComparison.Ordinal);
                if (lastByModule.TryGetValue(module, out DateTimeOffset last))
                {
                    Assert.Equal(TimeSpan.FromSeconds(10), ts - last);
                }

                lastByModule[module] = ts;
            }
        }

        Assert.Equal([100, 100, 100, 60], counts);
        Assert.Equal(["RackA1_Module01", "RackA1_Module02", "RackA1_Module03", "RackA2_Module01", "RackA2_Module02", "RackA2_Module03"], lastByModule.Keys.Order());

        // Unpaced: stamped from now − duration, so the newest reading is about "now".
        Assert.InRange(lastByModule.Values.Max(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Contains("readings 360 sent", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_retries_transient_failures_and_prints_problem_details()
    {
        _answers.Enqueue(() => Results.StatusCode(503));
        _answers.Enqueue(() => Results.Ok());
        _answers.Enqueue(() => Results.Problem(
            statusCode: 422,
            title: "Some readings were rejected",
            detail: "1 of 100 readings were rejected",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["[3].socPercent"] = ["130 % is outside the physically possible range"] } }));
        using var http = new HttpClient();
        var output = new StringWriter();
        FeedResult result = await LiveFeed.RunAsync(Options(), http, output);

        Assert.Equal(5, _received.Count); // one retry
        Assert.Equal(1, result.Retries);
        Assert.Equal(1, result.HttpErrors);
        Assert.Equal(4, result.Batches);
        Assert.Equal(260, result.ReadingsSent);
        Assert.Equal(100, result.ReadingsFailed);
        string log = output.ToString();
        Assert.Contains("HTTP 422", log, StringComparison.Ordinal);
        Assert.Contains("Some readings were rejected", log, StringComparison.Ordinal);
        Assert.Contains("[3].socPercent", log, StringComparison.Ordinal);
        Assert.Contains("HTTP errors 1", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Injected_short_heats_the_chosen_module_and_is_reported()
    {
        using var http = new HttpClient();
        var output = new StringWriter();
        FeedOptions options = Options() with
        {
            Racks = 1,
            Fault = FaultType.InternalShort,
            Severity = 5,
            FaultModule = "RackA1_Module02",
            FaultAt = TimeSpan.FromMinutes(2),
            Duration = TimeSpan.FromMinutes(20),
            Chemistry = Chemistry.Nmc,
            Batch = 500,
        };
        FeedResult result = await LiveFeed.RunAsync(options, http, output);

        Assert.Equal("RackA1_Module02", result.FaultModuleId);
        Assert.NotNull(result.FaultPnr);
        Assert.True(result.FaultPeakSurfaceC > 100, $"peak {result.FaultPeakSurfaceC}");
        string log = output.ToString();
        Assert.Contains("crossed the point of no return", log, StringComparison.Ordinal);
        Assert.Contains("RackA1_Module02 max surface", log, StringComparison.Ordinal);

        await Assert.ThrowsAsync<ArgumentException>(() => LiveFeed.RunAsync(options with { FaultModule = "RackZ9_Module01" }, http, output));
    }

    [Fact]
    public void Accelerated_timestamps_end_at_now_and_never_run_ahead()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, 500, TimeSpan.Zero);
        DateTimeOffset start = LiveFeed.StartFor(now, TimeSpan.FromHours(2), 60);
        Assert.Equal(now.AddSeconds(-7080).AddMilliseconds(-500), start);

        // At wall time w the feed sends simulated time 60·w: start + 60·w ≤ now + w for the whole run.
        for (double w = 0; w <= 120; w += 1)
        {
            Assert.True(start.AddSeconds(60 * w) <= now.AddSeconds(w));
        }

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), LiveFeed.StartFor(now, TimeSpan.FromHours(2), 1));
        Assert.Equal(now.AddHours(-2).AddMilliseconds(-500), LiveFeed.StartFor(now, TimeSpan.FromHours(2), 0));
    }
}
