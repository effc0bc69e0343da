using System.Collections.Concurrent;
using System.Net;
using System.Text;
using HvsGrains.Silo.Tests.FrontDoor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Silo.Tests.Tracing;

/// <summary>A request's trace reaches an OTLP/HTTP collector (a Kestrel app of the test's own) with its grain calls.</summary>
public sealed class OtlpTracingTests : IAsyncLifetime, IDisposable
{
    private readonly DataFolder _data = new();
    private readonly ConcurrentQueue<byte[]> _exports = new();
    private readonly int _port = FreeTcpPorts.Next(1)[0];
    private WebApplication? _collector;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, _port));
        _collector = builder.Build();
        _collector.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            _exports.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await _collector.StartAsync();
    }

    [Fact]
    public async Task A_front_door_request_and_the_grain_call_it_makes_are_exported_over_otlp()
    {
        await using var silo = new SiloHost(_data.Path, new() { ["Hvs:Tracing:OtlpEndpoint"] = $"http://127.0.0.1:{_port}/v1/traces" });
        using var read = silo.ClientWithKey(SiloHost.ReadKey);
        using var response = await read.GetAsync("/api/v1/warehouse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The exporter sends in batches (every few seconds); span and scope names are UTF-8 strings in the protobuf.
        Assert.True(
            await Eventually.HoldsAsync(() => Task.FromResult(Exported("Microsoft.AspNetCore") && Exported("Microsoft.Orleans.Application") && Exported("IWarehouseGrain")), 3000),
            $"{_exports.Count} exports, none with the request and its grain call");
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported()
    {
        await using var silo = new SiloHost(_data.Path);
        using var response = await silo.ClientWithKey(SiloHost.ReadKey).GetAsync("/api/v1/warehouse");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(silo.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
    }

    public async Task DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }
    }

    public void Dispose() => _data.Dispose();

    private bool Exported(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _exports.Any(e => e.AsSpan().IndexOf(bytes) >= 0);
    }
}
