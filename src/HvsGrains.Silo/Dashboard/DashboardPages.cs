using System.Net;
using System.Text.Encodings.Web;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// Serves the dashboard's pages and assets from the output's wwwroot (the build copies them there, with
/// the chart library from npm), so every host of the silo serves the same files. Pages need no key to
/// load; their scripts ask for the read key once (kept in the browser's localStorage) unless
/// <see cref="DashboardOptions.ServeReadKeyToLoopback"/> lets a loopback page carry it.
/// </summary>
public static class DashboardPages
{
    private const string KeyPlaceholder = "<!--hvs:read-key-->";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication MapDashboardPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        Directory.CreateDirectory(root);
        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = "/dashboard/assets",
            OnPrepareResponse = c => c.Context.Response.Headers["X-Content-Type-Options"] = "nosniff",
        });

        app.MapGet("/", () => TypedResults.Redirect("/dashboard")).ExcludeFromDescription();
        app.MapGet("/dashboard", (HttpContext context, CancellationToken _) => PageAsync(context, files, "site.html")).ExcludeFromDescription();
        app.MapGet("/dashboard/modules/{moduleId}", (string moduleId, HttpContext context) => PageAsync(context, files, "module.html")).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> PageAsync(HttpContext context, IFileProvider files, string page)
    {
        var file = files.GetFileInfo($"dashboard/{page}");
        if (!file.Exists)
        {
            return TypedResults.NotFound();
        }

        string html;
        await using (var stream = file.CreateReadStream())
        using (var reader = new StreamReader(stream))
        {
            html = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var key = ReadKeyFor(context);
        html = html.Replace(KeyPlaceholder,
            key is null ? string.Empty : $"<meta name=\"hvs-read-key\" content=\"{HtmlEncoder.Default.Encode(key)}\">", StringComparison.Ordinal);

        SetPageHeaders(context.Response);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>What every dashboard page sends: its own scripts only, never framed, never cached, no referrer.</summary>
    internal static void SetPageHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }

    /// <summary>The read key, only when configured so and the request comes straight from this machine.</summary>
    private static string? ReadKeyFor(HttpContext context)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (!options.ServeReadKeyToLoopback
            || context.Connection.RemoteIpAddress is not { } remote
            || !IPAddress.IsLoopback(remote)
            || context.Request.Headers.ContainsKey("Forwarded")
            || context.Request.Headers.ContainsKey("X-Forwarded-For"))
        {
            return null;
        }

        var read = context.RequestServices.GetRequiredService<ApiKeyStore>().Keys.Read;
        return string.IsNullOrEmpty(read) ? null : read;
    }
}
