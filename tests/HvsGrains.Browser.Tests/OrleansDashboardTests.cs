using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HvsGrains.Browser.Tests;

/// <summary>Orleans' own dashboard behind the admin sign-in, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OrleansDashboardTests(BrowserSilo silo)
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };

    [Fact]
    public async Task Without_sign_in_the_browser_lands_on_the_sign_in_page_and_the_read_key_is_refused()
    {
        await using var context = await silo.NewContextAsync(withKey: false);
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);

        await page.GotoAsync("/dashboard/orleans/");
        Assert.StartsWith(new Uri(silo.BaseAddress, "/dashboard/sign-in").ToString(), page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("#sign-in-form")).ToBeVisibleAsync();
        await Expect(page.Locator(".info-box")).ToHaveCountAsync(0);

        await page.FillAsync("#key", BrowserSilo.ReadKey);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.ClickAsync("#sign-in-form button[type=submit]"), r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/sign-in", StringComparison.Ordinal));
        Assert.Equal(403, response.Status);
        await Expect(page.Locator("#sign-in-error")).ToContainTextAsync("may not open the Orleans Dashboard");

        // Still not signed in: the dashboard sends the browser back to the form.
        await page.GotoAsync("/dashboard/orleans/");
        await Expect(page.Locator("#sign-in-form")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == ".HvsGrains.Dashboard");
        // Chromium logs the refused form's 403 itself; nothing else may fail.
        Assert.All(errors.All, e => Assert.Contains("status of 403", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_admin_key_typed_into_the_sign_in_form_opens_the_Orleans_Dashboard_with_this_silo_and_its_grains_and_never_appears_in_a_url()
    {
        await silo.PostReadingsAsync([HeatingSequence.Normal("RackO1_Module01", "RackO1", DateTimeOffset.UtcNow.AddMinutes(-1))]);
        await using var context = await silo.NewContextAsync(withKey: false);
        var page = await context.NewPageAsync();
        var urls = new List<string>();
        page.Request += (_, request) =>
        {
            lock (urls)
            {
                urls.Add(request.Url);
            }
        };

        await page.GotoAsync("/dashboard");
        await page.ClickAsync("nav a[href='/dashboard/orleans/']");
        await Expect(page.Locator("#sign-in-form")).ToBeVisibleAsync();
        await page.FillAsync("#key", BrowserSilo.AdminKey);
        await page.ClickAsync("#sign-in-form button[type=submit]");

        await page.WaitForURLAsync(new Regex("/dashboard/orleans/"));
        var silos = page.Locator(".info-box", new() { HasText = "Active Silos" }).Locator(".info-box-number");
        await Expect(silos).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await page.GotoAsync("/dashboard/orleans/#/grains");
        await Expect(page.Locator("body")).ToContainTextAsync("ModuleGrain", Live);

        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == ".HvsGrains.Dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/dashboard", cookie.Path);
        string[] requested;
        lock (urls)
        {
            requested = [.. urls];
        }

        Assert.Contains(requested, u => u.Contains("/dashboard/orleans/DashboardCounters", StringComparison.Ordinal));
        foreach (var key in new[] { BrowserSilo.AdminKey, BrowserSilo.ReadKey, BrowserSilo.IngestKey })
        {
            Assert.DoesNotContain(requested, u => u.Contains(key, StringComparison.Ordinal));
        }

        var screenshots = BrowserSilo.ScreenshotFolder;
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "orleans-dashboard-grains.png"), FullPage = true });

        // Signing out ends it: the dashboard asks for the key again.
        await page.GotoAsync("/dashboard/sign-in");
        await page.ClickAsync("#sign-out");
        await page.GotoAsync("/dashboard/orleans/");
        await Expect(page.Locator("#sign-in-form")).ToBeVisibleAsync();
    }
}
