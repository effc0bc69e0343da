using System.Text.Json;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Dashboard.Site;
using HvsGrains.Silo.Endpoints;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// Server-sent event streams of the dashboard. The page reads them with fetch (so the key travels in
/// the X-Api-Key header, never in a URL) and reconnects by itself when a stream breaks.
/// </summary>
public static class StreamEndpoints
{
    public static RouteGroupBuilder MapDashboardStreams(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var stream = api.MapGroup("/stream");
        stream.MapGet("/site", StreamSiteAsync)
            .WithSummary("Server-sent events: 'site' with the whole site picture first and whenever the grains push a change, 'feed' with this silo's feed and model figures (read key)");
        stream.MapGet("/modules/{moduleId}", StreamModuleAsync)
            .WithSummary("Server-sent events: 'module' with a module's status whenever it changes (read key)");
        return api;
    }

    private static async Task StreamSiteAsync(HttpContext context, SiteFeed feed, SiteFeedMetrics metrics, IOptions<DashboardOptions> options)
    {
        var cancellation = context.RequestAborted;
        await StartAsync(context);

        // Every 'site' event is the whole picture, and a new watcher gets the current one first: a page that reconnects
        // (to this silo or, after it restarted, to its successor) has caught up with its first event, so no
        // Last-Event-ID is needed.
        using var watcher = feed.Watch();
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                keepAlive.CancelAfter(options.Value.StreamKeepAlive);
                bool more;
                try
                {
                    more = await watcher.WaitAsync(keepAlive.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    await WriteCommentAsync(context.Response, cancellation);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                foreach (var item in watcher.Take())
                {
                    await WriteEventAsync(context.Response, item.Name, item.Json, cancellation);
                    metrics.EventWritten(item.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private static async Task StreamModuleAsync(
        string moduleId, HttpContext context, IGrainFactory grains, ReadingValidator ids, IOptions<DashboardOptions> options, IOptions<JsonOptions> json, TimeProvider clock)
    {
        if (!ids.IsAcceptableId(moduleId))
        {
            // Checked before the stream starts: afterwards only a broken stream could say so.
            await Problems.NotFound("module", moduleId).ExecuteAsync(context);
            return;
        }

        var cancellation = context.RequestAborted;
        await StartAsync(context);
        var module = grains.GetGrain<IModuleGrain>(moduleId);
        string? last = null;
        var quietSince = clock.GetUtcNow();
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var status = JsonSerializer.Serialize(await module.GetStatus(), json.Value.SerializerOptions);
                if (status != last)
                {
                    await WriteEventAsync(context.Response, "module", status, cancellation);
                    last = status;
                    quietSince = clock.GetUtcNow();
                }
                else if (clock.GetUtcNow() - quietSince >= options.Value.StreamKeepAlive)
                {
                    await WriteCommentAsync(context.Response, cancellation);
                    quietSince = clock.GetUtcNow();
                }

                await Task.Delay(options.Value.ModulePollInterval, clock, cancellation);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private static async Task StartAsync(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache, no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await WriteCommentAsync(context.Response, context.RequestAborted);
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string json, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"event: {name}\ndata: {json}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteCommentAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        await response.WriteAsync(": keep-alive\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
