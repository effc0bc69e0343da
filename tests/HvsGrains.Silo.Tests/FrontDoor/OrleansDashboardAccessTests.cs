using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>Orleans' dashboard at /dashboard/orleans: admin key or admin sign-in only; the sign-in form never answers 500.</summary>
public sealed partial class OrleansDashboardAccessTests : IClassFixture<OrleansDashboardAccessTests.Silo>
{
    private const string Dashboard = "/dashboard/orleans/";
    private const string SiloApi = "/dashboard/orleans/ClusterStats";
    private readonly Silo _silo;

    public OrleansDashboardAccessTests(Silo silo) => _silo = silo;

    [Fact]
    public async Task A_browser_without_sign_in_is_sent_to_the_sign_in_page()
    {
        using var client = _silo.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Dashboard);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/sign-in", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=%2Fdashboard%2Forleans%2F", response.Headers.Location.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-key")]
    public async Task An_api_client_without_a_valid_key_gets_401_problem_details(string? key)
    {
        using var client = _silo.Client(key);
        foreach (var path in new[] { SiloApi, Dashboard })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(SiloHost.ReadKey)]
    [InlineData(SiloHost.IngestKey)]
    public async Task The_read_and_ingest_keys_get_403(string key)
    {
        using var client = _silo.Client(key);
        foreach (var path in new[] { SiloApi, Dashboard })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_admin_key_in_the_header_opens_the_dashboard_and_its_api()
    {
        using var client = _silo.Client(SiloHost.AdminKey);
        using var page = await client.GetAsync(Dashboard);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var stats = await client.GetAsync(SiloApi);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_admin_key_sets_a_strict_http_only_cookie_that_opens_the_dashboard_until_sign_out()
    {
        using var client = _silo.Client();
        var form = await SignInFormAsync(client);
        using var signIn = await client.PostAsync("/dashboard/sign-in", Form(form, SiloHost.AdminKey));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(Dashboard, signIn.Headers.Location!.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".HvsGrains.Dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SiloHost.AdminKey, cookie, StringComparison.Ordinal);

        using (var stats = await client.GetAsync(SiloApi))
        {
            Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        }

        // The cookie opens the Orleans Dashboard only, not the key-protected API.
        using (var warehouse = await client.GetAsync("/api/v1/warehouse"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, warehouse.StatusCode);
        }

        var signedIn = await SignInFormAsync(client);
        Assert.Contains("Signed in with the admin key", signedIn.Html, StringComparison.Ordinal);
        using var signOut = await client.PostAsync("/dashboard/sign-out", Form(signedIn, key: null));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await client.GetAsync(SiloApi);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Theory]
    [InlineData("not-a-key", HttpStatusCode.Unauthorized, "not valid")]
    [InlineData("", HttpStatusCode.Unauthorized, "not valid")]
    [InlineData(SiloHost.ReadKey, HttpStatusCode.Forbidden, "may not open the Orleans Dashboard")]
    [InlineData(SiloHost.IngestKey, HttpStatusCode.Forbidden, "may not open the Orleans Dashboard")]
    public async Task A_wrong_key_gets_the_form_again_with_an_error_and_no_cookie(string key, HttpStatusCode status, string error)
    {
        using var client = _silo.Client();
        var form = await SignInFormAsync(client);
        using var response = await client.PostAsync("/dashboard/sign-in", Form(form, key));

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".HvsGrains.Dashboard=", StringComparison.Ordinal)));
        using var stats = await client.GetAsync(SiloApi);
        Assert.Equal(HttpStatusCode.Unauthorized, stats.StatusCode);
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_token_or_not_a_form_is_refused_with_400_never_500()
    {
        using var client = _silo.Client();
        using var noToken = await client.PostAsync("/dashboard/sign-in", new FormUrlEncodedContent([new("key", SiloHost.AdminKey)]));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        using var json = await client.PostAsync("/dashboard/sign-in", new StringContent("{\"key\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        var form = await SignInFormAsync(client);
        using var huge = await client.PostAsync("/dashboard/sign-in", Form(form, new string('k', 100_000)));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        using var signOut = await client.PostAsync("/dashboard/sign-out", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
    }

    [Fact]
    public async Task A_return_url_outside_the_dashboard_is_ignored_and_the_retired_cluster_endpoint_is_gone()
    {
        using var client = _silo.Client();
        var form = await SignInFormAsync(client, "?ReturnUrl=https%3A%2F%2Fevil.example%2F");
        Assert.DoesNotContain("evil.example", form.Html, StringComparison.Ordinal);
        using var signIn = await client.PostAsync("/dashboard/sign-in", Form(form, SiloHost.AdminKey, "//evil.example/"));
        Assert.Equal(Dashboard, signIn.Headers.Location!.OriginalString);

        using var read = _silo.Client(SiloHost.ReadKey);
        using var cluster = await read.GetAsync("/api/v1/cluster");
        Assert.Equal(HttpStatusCode.NotFound, cluster.StatusCode);
    }

    private static async Task<SignInPage> SignInFormAsync(HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/dashboard/sign-in" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        Assert.True(token.Success, html);
        return new SignInPage(html, token.Groups[1].Value, token.Groups[2].Value);
    }

    private static FormUrlEncodedContent Form(SignInPage page, string? key, string? returnUrl = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new(page.TokenField, page.Token) };
        if (key is not null)
        {
            fields.Add(new("key", key));
        }

        if (returnUrl is not null)
        {
            fields.Add(new("returnUrl", returnUrl));
        }

        return new FormUrlEncodedContent(fields);
    }

    private sealed record SignInPage(string Html, string TokenField, string Token);

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex AntiforgeryField();

    public sealed class Silo : IDisposable
    {
        private readonly DataFolder _data = new();
        private SiloHost? _host;

        /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
        public HttpClient Client(string? key = null)
        {
            _host ??= new SiloHost(_data.Path);
            var client = _host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
            if (key is not null)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
            }

            return client;
        }

        public void Dispose()
        {
            _host?.Dispose();
            _data.Dispose();
        }
    }
}
