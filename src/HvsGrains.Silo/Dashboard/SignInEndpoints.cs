using System.Text.Encodings.Web;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// /dashboard/sign-in: a form that takes the admin key by POST (anti-forgery checked) and answers with
/// the dashboard cookie; /dashboard/sign-out ends it. The key travels in the form body only.
/// </summary>
public static class SignInEndpoints
{
    private const string KeyField = "key";
    private const string ReturnField = "returnUrl";

    // A sign-in form is a few hundred bytes; nothing bigger is read.
    private static readonly FormOptions SmallForm = new() { ValueCountLimit = 8, ValueLengthLimit = 2048, KeyLengthLimit = 64, MultipartBodyLengthLimit = 8192 };

    public static WebApplication MapDashboardSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(OrleansDashboardAccess.SignInPath, ShowAsync).ExcludeFromDescription();
        app.MapPost(OrleansDashboardAccess.SignInPath, SignInAsync).ExcludeFromDescription();
        app.MapPost(OrleansDashboardAccess.SignOutPath, SignOutAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext context, IAntiforgery antiforgery, string? returnUrl)
    {
        var signedIn = (await context.AuthenticateAsync(OrleansDashboardAccess.CookieScheme)).Succeeded;
        return Page(context, antiforgery, StatusCodes.Status200OK, LocalReturnUrl(returnUrl), null, signedIn);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, ApiKeyStore keys)
    {
        var form = await ReadFormAsync(context, antiforgery);
        if (form is null)
        {
            return Page(context, antiforgery, StatusCodes.Status400BadRequest, LocalReturnUrl(null), "The form expired or was not sent from this page. Enter the key again.", false);
        }

        var returnUrl = LocalReturnUrl(form[ReturnField]);
        var key = form[KeyField].ToString().Trim();
        var role = key.Length == 0 ? null : keys.RoleOf(key);
        if (role is null)
        {
            return Page(context, antiforgery, StatusCodes.Status401Unauthorized, returnUrl, "That key is not valid.", false);
        }

        if (role != ApiRoles.Admin)
        {
            return Page(context, antiforgery, StatusCodes.Status403Forbidden, returnUrl, $"The {role} key may not open the Orleans Dashboard: it takes the admin key.", false);
        }

        await context.SignInAsync(OrleansDashboardAccess.CookieScheme, OrleansDashboardAccess.AdminPrincipal(key));
        return TypedResults.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await ReadFormAsync(context, antiforgery) is null)
        {
            return Page(context, antiforgery, StatusCodes.Status400BadRequest, LocalReturnUrl(null), "The form expired or was not sent from this page.", true);
        }

        await context.SignOutAsync(OrleansDashboardAccess.CookieScheme);
        return TypedResults.Redirect(OrleansDashboardAccess.SignInPath);
    }

    /// <summary>The posted form when it is a small form with a valid anti-forgery token, else null.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        context.Features.Set<IFormFeature>(new FormFeature(context.Request, SmallForm));
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (AntiforgeryValidationException ex) when (ex.InnerException is BadHttpRequestException body)
        {
            // A body too slow (408), badly chunked (400) or too large (413) is answered as on every endpoint (ClientErrorHandler).
            throw body;
        }
        catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Only a path under the Orleans Dashboard: a sign-in never sends the browser elsewhere.</summary>
    private static string LocalReturnUrl(string? candidate) =>
        candidate is { Length: > 0 } url && url.StartsWith(OrleansDashboardAccess.RoutePrefix + "/", StringComparison.Ordinal)
            && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal)
            ? url
            : OrleansDashboardAccess.RoutePrefix + "/";

    private static IResult Page(HttpContext context, IAntiforgery antiforgery, int status, string returnUrl, string? error, bool signedIn)
    {
        DashboardPages.SetPageHeaders(context.Response);
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = HtmlEncoder.Default;
        var token = $"<input type=\"hidden\" name=\"{html.Encode(tokens.FormFieldName)}\" value=\"{html.Encode(tokens.RequestToken ?? string.Empty)}\">";
        var body = signedIn
            ? $"""
              <p id="signed-in">Signed in with the admin key.</p>
              <div class="actions">
                <a class="btn primary" href="{html.Encode(returnUrl)}">Open the Orleans Dashboard</a>
                <form method="post" action="{OrleansDashboardAccess.SignOutPath}">{token}<button type="submit" id="sign-out" class="btn">Sign out</button></form>
              </div>
              """
            : $"""
              <form id="sign-in-form" method="post" action="{OrleansDashboardAccess.SignInPath}">
                {token}
                <input type="hidden" name="{ReturnField}" value="{html.Encode(returnUrl)}">
                <p class="muted">Orleans' dashboard shows grain state and the silo's logs, so it takes the silo's <strong>admin</strong> key
                  (Hvs__ApiKeys__Admin). The key is sent once in this form; the browser then holds a sign-in cookie for 8 hours, not the key.</p>
                <label for="key">Admin key</label>
                <input id="key" name="{KeyField}" type="password" autocomplete="off" spellcheck="false" required>
                <p id="sign-in-error" class="error" role="alert">{html.Encode(error ?? string.Empty)}</p>
                <div class="actions"><button type="submit" class="btn primary">Sign in</button></div>
              </form>
              """;
        var page = $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · Orleans Dashboard · HvsGrains</title>
              <link rel="icon" href="data:,">
              <link rel="stylesheet" href="/dashboard/assets/dashboard/app.css">
            </head>
            <body>
              <header class="topbar">
                <div class="brand"><span class="logo" aria-hidden="true">⚡</span>HvsGrains<span class="sub">thermal runaway watch</span></div>
                <nav aria-label="Dashboard"><a href="/dashboard">Site</a><a href="{OrleansDashboardAccess.RoutePrefix}/" aria-current="page">Orleans Dashboard</a></nav>
              </header>
              <main class="key-gate card"><h1>Orleans Dashboard</h1>{body}</main>
            </body>
            </html>
            """;
        return TypedResults.Content(page, "text/html; charset=utf-8", statusCode: status);
    }
}
