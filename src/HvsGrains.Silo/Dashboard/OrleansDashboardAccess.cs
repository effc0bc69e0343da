using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Orleans.Dashboard;

namespace HvsGrains.Silo.Dashboard;

/// <summary>
/// Orleans' own dashboard at /dashboard/orleans, admin only. It shows grain state and the silo's logs,
/// so it is never anonymous: an API client sends the admin key in X-Api-Key; a person signs in once
/// at /dashboard/sign-in and carries a cookie instead, so the key never sits in a URL.
/// </summary>
public static class OrleansDashboardAccess
{
    public const string RoutePrefix = "/dashboard/orleans";
    public const string SignInPath = "/dashboard/sign-in";
    public const string SignOutPath = "/dashboard/sign-out";

    /// <summary>The signed-in browser's cookie.</summary>
    public const string CookieScheme = "DashboardCookie";

    /// <summary>The X-Api-Key header when one is sent, else the cookie.</summary>
    public const string Scheme = "DashboardKeyOrCookie";

    public const string Policy = "orleans-dashboard";

    /// <summary>Claim tying a cookie to the admin key it was issued for, so a changed key ends old sign-ins.</summary>
    internal const string KeyFingerprintClaim = "hvs:key-fingerprint";

    public static IServiceCollection AddOrleansDashboardAccess(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = ".HvsGrains.Dashboard";
                o.Cookie.Path = "/dashboard";
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                o.LogoutPath = SignOutPath;
                o.Events.OnRedirectToLogin = c => IsPageRequest(c.Request) ? Redirect(c) : ProblemAsync(c.HttpContext, StatusCodes.Status401Unauthorized,
                    "Sign-in required", $"Sign in at {SignInPath} or send the admin key in the {ApiKeyAuthenticationHandler.HeaderName} header.");
                o.Events.OnRedirectToAccessDenied = c => ProblemAsync(c.HttpContext, StatusCodes.Status403Forbidden,
                    "Not allowed", "Only the admin key opens the Orleans Dashboard.");
                o.Events.OnValidatePrincipal = RejectWhenKeyChangedAsync;
            })
            .AddPolicyScheme(Scheme, "API key or dashboard sign-in", o => o.ForwardDefaultSelector = c =>
                c.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(ApiRoles.Admin));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".HvsGrains.Antiforgery";
            o.Cookie.Path = "/dashboard";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The sign-in page sends X-Frame-Options: DENY itself.
            o.SuppressXFrameOptionsHeader = true;
        });
        return services;
    }

    public static WebApplication MapOrleansDashboardBehindSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOrleansDashboard(routePrefix: RoutePrefix).RequireAuthorization(Policy).ExcludeFromDescription();
        app.MapDashboardSignIn();
        return app;
    }

    /// <summary>The principal a signed-in browser carries: the admin role, bound to the admin key in force.</summary>
    internal static ClaimsPrincipal AdminPrincipal(string adminKey) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin (dashboard sign-in)"), new Claim(ClaimTypes.Role, ApiRoles.Admin), new Claim(KeyFingerprintClaim, Fingerprint(adminKey))],
        CookieScheme));

    private static string Fingerprint(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static async Task RejectWhenKeyChangedAsync(CookieValidatePrincipalContext context)
    {
        var admin = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>().Keys.Admin;
        var claimed = context.Principal?.FindFirst(KeyFingerprintClaim)?.Value;
        if (string.IsNullOrEmpty(admin) || claimed is null
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(claimed), Encoding.ASCII.GetBytes(Fingerprint(admin))))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieScheme);
        }
    }

    /// <summary>A browser navigating (it asks for HTML); fetches and API clients get status codes instead of a redirect.</summary>
    private static bool IsPageRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static Task ProblemAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context);
    }
}
