using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// A facility system's webhook receiver on Kestrel, on a loopback port of its own that stays the same across
/// <see cref="StopAsync"/> (not listening) and <see cref="StartAsync"/>. It verifies every delivery as the README tells a
/// receiver to (HMAC-SHA256 with the shared secret over "timestamp.body", computed here, not with the silo's code),
/// answers 401 to a bad signature and 500 while <see cref="Failing"/>, and keeps what it accepted.
/// </summary>
public sealed class WebhookReceiver(string secret) : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _accepted = new();
    private readonly int _port = FreeTcpPorts.Next(1)[0];
    private WebApplication? _app;
    private int _failed;
    private int _badSignatures;

    public string Url => $"http://127.0.0.1:{_port}/hooks";

    /// <summary>Answer 500 to every (correctly signed) delivery.</summary>
    public bool Failing { get; set; }

    public int FailedAnswers => Volatile.Read(ref _failed);

    public int BadSignatures => Volatile.Read(ref _badSignatures);

    /// <summary>Every accepted delivery, retries included, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Accepted => [.. _accepted];

    /// <summary>What a receiver acts on: each event id once, at its first arrival.</summary>
    public IReadOnlyList<ReceivedWebhook> Distinct => [.. _accepted.DistinctBy(w => w.EventId)];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        var app = builder.Build();
        app.MapPost("/hooks", ReceiveAsync);
        await app.StartAsync();
        _app = app;
    }

    /// <summary>Stops listening: deliveries meet a refused connection.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var timestamp = request.Headers["X-Hvs-Timestamp"].ToString();
        var signature = request.Headers["X-Hvs-Signature"].ToString();
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.Unauthorized();
        }

        if (Failing)
        {
            Interlocked.Increment(ref _failed);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }

        var json = JsonDocument.Parse(body).RootElement.Clone();
        _accepted.Enqueue(new ReceivedWebhook(request.Headers["X-Hvs-Event-Id"].ToString(), json));
        return Results.NoContent();
    }
}

/// <summary>One accepted delivery: the event id header and the JSON body.</summary>
public sealed record ReceivedWebhook(string EventId, JsonElement Body)
{
    public string Type => Body.GetProperty("type").GetString()!;

    public long Sequence => Body.GetProperty("sequence").GetInt64();

    public string? AlarmId => Body.TryGetProperty("alarm", out var alarm) ? alarm.GetProperty("id").GetString() : null;
}
