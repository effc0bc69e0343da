using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Hosting;
using HvsGrains.Silo.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// The ingest limit as the silo configures it (AddIngestAdmission, RequireIngestAdmission), on an endpoint that
/// holds its permit until the test lets go, so "in flight" is certain rather than timed.
/// </summary>
public sealed class IngestAdmissionTests : IAsyncDisposable
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    [Fact]
    public async Task With_a_limit_of_one_a_second_request_is_shed_while_the_first_is_held_and_taken_after_it()
    {
        var client = await StartAsync(maxConcurrent: 1, maxQueued: 0, retryAfterSeconds: 7);
        var first = client.PostAsync("/ingest", null);
        await _entered.Task;

        using var second = await client.PostAsync("/ingest", null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), second.Headers.RetryAfter?.Delta);
        Assert.True(second.Headers.ConnectionClose, "a shed answer closes its connection rather than read the body it refused");
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal(7, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(1, Handled);

        _release.SetResult();
        using (var answer = await first)
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        using var again = await client.PostAsync("/ingest", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, Handled);
    }

    [Fact]
    public async Task A_request_beyond_the_limit_waits_in_the_queue_and_one_beyond_the_queue_is_shed()
    {
        var client = await StartAsync(maxConcurrent: 1, maxQueued: 1, retryAfterSeconds: 1);
        var first = client.PostAsync("/ingest", null);
        await _entered.Task;
        var second = client.PostAsync("/ingest", null);
        var third = client.PostAsync("/ingest", null);

        // The queue has one place: of the two later requests, one waits in it and the other is shed at once.
        var shed = await Task.WhenAny(second, third);
        var queued = shed == second ? third : second;
        using (var shedAnswer = await shed)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shedAnswer.StatusCode);
        }

        Assert.False(queued.IsCompleted);
        Assert.Equal(1, Handled);
        _release.SetResult();
        using var firstAnswer = await first;
        using var queuedAnswer = await queued;
        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queuedAnswer.StatusCode);
        Assert.Equal(2, Handled);
    }

    [Fact]
    public async Task Endpoints_outside_ingest_answer_while_every_ingest_permit_is_held()
    {
        var client = await StartAsync(maxConcurrent: 1, maxQueued: 0, retryAfterSeconds: 1);
        var first = client.PostAsync("/ingest", null);
        await _entered.Task;

        using var health = await client.GetAsync("/health");
        using var shed = await client.PostAsync("/ingest", null);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, shed.StatusCode);
        _release.SetResult();
        using var answer = await first;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        _release.TrySetResult();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private int _handled;

    private int Handled => Volatile.Read(ref _handled);

    private async Task<HttpClient> StartAsync(int maxConcurrent, int maxQueued, int retryAfterSeconds)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.Configure<IngestOptions>(o =>
        {
            o.MaxConcurrentRequests = maxConcurrent;
            o.MaxQueuedRequests = maxQueued;
            o.RetryAfterSeconds = retryAfterSeconds;
        });
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<SiloMetrics>();
        builder.Services.AddIngestAdmission();
        _app = builder.Build();
        _app.UseRateLimiter();
        _app.MapPost("/ingest", async () =>
        {
            Interlocked.Increment(ref _handled);
            _entered.TrySetResult();
            await _release.Task;
            return Results.Ok();
        }).RequireIngestAdmission();
        _app.MapGet("/health", () => "ok");
        await _app.StartAsync();
        return _app.GetTestClient();
    }
}
