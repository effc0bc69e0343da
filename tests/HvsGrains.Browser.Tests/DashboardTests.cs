using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HvsGrains.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed partial class DashboardTests(BrowserSilo silo, ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToHaveTextOptions LiveText = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_site_page_loads_with_the_typed_read_key_without_console_errors_and_shows_the_module_grid()
    {
        await silo.PostReadingsAsync(Enumerable.Range(1, 4).Select(i => HeatingSequence.Normal($"RackB1_Module0{i}", "RackB1", DateTimeOffset.UtcNow.AddMinutes(-5))));
        await using var context = await silo.NewContextAsync(withKey: false);
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);

        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#key-gate")).ToBeVisibleAsync();
        await page.FillAsync("#key-input", BrowserSilo.ReadKey);
        await page.ClickAsync("#key-form button[type=submit]");

        var cell = page.Locator("[data-module='RackB1_Module02']");
        await Expect(cell).ToContainTextAsync("Normal", Live);
        await Expect(page.Locator("[data-rack='RackB1'] .cell")).ToHaveCountAsync(4);
        await Expect(page.Locator("#conn")).ToContainTextAsync("Live");
        Assert.Equal("0", await cell.EvaluateAsync<string>("e => String(e.tabIndex)"));

        await page.ReloadAsync();
        await Expect(cell).ToContainTextAsync("Normal", Live);
        Assert.Empty(errors.All);
    }

    [Fact]
    public async Task A_heating_module_turns_Critical_live_and_its_alarm_is_acknowledged_from_the_page_with_the_operator_key()
    {
        const string rack = "RackA1";
        const string module = "RackA1_Module03";
        const string earlier = "RackA7_Module01";
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        await silo.PostReadingsAsync(new[] { "RackA1_Module01", "RackA1_Module02", "RackA1_Module04" }.Select(m => HeatingSequence.Normal(m, rack, start)));
        await silo.PostReadingsAsync([HeatingSequence.Normal(module, rack, start.AddSeconds(-10))]);

        await using var context = await silo.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);
        await page.GotoAsync("/dashboard");
        var cell = page.Locator($"[data-module='{module}']");
        await Expect(cell).ToContainTextAsync("Normal", Live);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // An alarm raised before this one, left unacknowledged: it must stay above the acknowledged one.
        await silo.PostReadingsAsync(HeatingSequence.Readings(earlier, "RackA7", start, 130));
        await Expect(page.Locator($"#alarms tr[data-alarm-subject='{earlier}']").First).ToContainTextAsync("Critical", Live);
        await silo.PostReadingsAsync(HeatingSequence.Readings(module, rack, start, 130));

        await Expect(cell).ToContainTextAsync("Critical", Live);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        var row = page.Locator($"#alarms tr[data-alarm-subject='{module}']").First;
        await Expect(row).ToContainTextAsync("Open", Live);
        await Expect(row).ToContainTextAsync("Critical");

        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await page.FillAsync("#ack-name", "Dana (shift lead)");
        await page.SelectOptionAsync("#ack-verdict", "test");
        await page.FillAsync("#ack-key", BrowserSilo.ReadKey);
        await page.ClickAsync("#ack-confirm");
        await Expect(page.Locator("#ack-error")).ToContainTextAsync("not an operator key", Live);
        await Expect(row.Locator("td.state")).ToHaveTextAsync("Open");

        await page.FillAsync("#ack-key", BrowserSilo.OperatorKey);
        await page.ClickAsync("#ack-confirm");

        await Expect(row).ToContainTextAsync("Acknowledged by Dana (shift lead) at", Live);
        await Expect(row).ToContainTextAsync("verdict: test");
        await Expect(row.Locator("td.state")).ToHaveTextAsync("Acknowledged");
        var subjects = await page.Locator("#alarms tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.alarmSubject)");
        Assert.True(Array.IndexOf(subjects, earlier) < Array.IndexOf(subjects, module), string.Join(", ", subjects));
        Assert.Null(await page.EvaluateAsync<string?>("() => Object.keys(localStorage).find(k => (localStorage.getItem(k) || '').includes('operator-key')) || null"));
        using var read = silo.Client(BrowserSilo.ReadKey);
        var acknowledged = await read.GetStringAsync("/api/v1/alarms?state=acknowledged");
        Assert.Contains("Dana (shift lead)", acknowledged);
        Assert.Contains("operator-key", acknowledged);
        Assert.DoesNotContain(errors.All, e => !e.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_feed_and_model_panel_shows_the_accepted_readings_the_commit_latency_and_the_bundled_model()
    {
        await using var context = await silo.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#conn")).ToContainTextAsync("Live", Live);
        var accepted = page.Locator("#feed-accepted");
        await Expect(accepted).ToHaveTextAsync(Digits(), LiveText);
        var before = long.Parse(await accepted.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

        await silo.PostReadingsAsync(Enumerable.Range(1, 6).Select(i => HeatingSequence.Normal($"RackF1_Module0{i}", "RackF1", DateTimeOffset.UtcNow.AddMinutes(-2))));

        // Six more readings accepted at least (other tests may post too), and this window's figures are numbers.
        var grown = false;
        for (var attempt = 0; attempt < 60 && !grown; attempt++)
        {
            grown = long.Parse(await accepted.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= before + 6;
            await Task.Delay(500);
        }

        Assert.True(grown, $"readings accepted stayed near {before}");
        await Expect(page.Locator("#feed-commit")).ToHaveTextAsync(Milliseconds(), LiveText);
        await Expect(page.Locator("#feed-rate")).ToContainTextAsync("/s", Live);
        using var vectors = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "BundledModel", "test-vectors.json")));
        await Expect(page.Locator("#feed-model")).ToHaveTextAsync(vectors.RootElement.GetProperty("model_version").GetString()!, LiveText);
        await Expect(page.Locator("nav a[href='/dashboard/orleans/']")).ToHaveCountAsync(1);
        Assert.Empty(errors.All);
    }

    [Fact]
    public async Task Screenshots_of_the_site_and_module_pages_at_desktop_and_tablet_width()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-30);
        foreach (var rack in new[] { "RackS1", "RackS2", "RackS3" })
        {
            var readings = new List<object>();
            for (var m = 1; m <= 8; m++)
            {
                readings.AddRange(Enumerable.Range(0, 30).Select(i => HeatingSequence.Normal($"{rack}_Module{m:00}", rack, start.AddSeconds(10 * i), 26 + m * 0.4 + Math.Sin(i / 5.0))));
            }

            await silo.PostReadingsAsync(readings);
        }

        await silo.PostReadingsAsync(HeatingSequence.Readings("RackS2_Module05", "RackS2", start.AddMinutes(-10), 130));
        Directory.CreateDirectory(BrowserSilo.ScreenshotFolder);
        foreach (var (width, height) in new[] { (1280, 800), (768, 1024) })
        {
            await using var context = await silo.NewContextAsync(width, height);
            var page = await context.NewPageAsync();
            var errors = new PageErrors(page);

            await page.GotoAsync("/dashboard");
            await Expect(page.Locator("[data-module='RackS2_Module05']")).ToContainTextAsync("Critical", Live);
            await SaveAsync(page, $"site-{width}x{height}.png");

            await page.GotoAsync("/dashboard/modules/RackS2_Module05");
            await Expect(page.Locator("#module-level")).ToContainTextAsync("Critical", Live);
            await Expect(page.Locator("#chart-temp canvas")).ToHaveCountAsync(1);
            await page.ClickAsync("[data-window='3600']");
            await page.WaitForTimeoutAsync(1000);
            await SaveAsync(page, $"module-{width}x{height}.png");

            await page.GotoAsync("/dashboard");
            await Expect(page.Locator("#feed-model")).Not.ToHaveTextAsync("—", LiveText);
            var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"the site page scrolls sideways at {width}px");
            Assert.Empty(errors.All);
        }
    }

    [Fact]
    public async Task Pages_and_scripts_never_carry_the_ingest_or_admin_key_and_the_dashboard_refuses_them()
    {
        using var anonymous = silo.Client(null);
        var sources = new List<string>();
        foreach (var path in new[] { "/dashboard", "/dashboard/modules/RackB1_Module01", "/dashboard/sign-in" })
        {
            var html = await anonymous.GetStringAsync(path);
            sources.Add(html);
            foreach (Match asset in AssetReference().Matches(html))
            {
                sources.Add(await anonymous.GetStringAsync(asset.Groups[1].Value));
            }
        }

        await using var context = await silo.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#conn")).ToContainTextAsync("Live", Live);
        sources.Add(await page.ContentAsync());

        Assert.True(sources.Count > 6);
        foreach (var source in sources)
        {
            Assert.DoesNotContain(BrowserSilo.IngestKey, source, StringComparison.Ordinal);
            Assert.DoesNotContain(BrowserSilo.AdminKey, source, StringComparison.Ordinal);
            Assert.DoesNotContain(BrowserSilo.ReadKey, source, StringComparison.Ordinal);
        }

        foreach (var key in new[] { BrowserSilo.IngestKey, BrowserSilo.AdminKey })
        {
            using var client = silo.Client(key);
            using var response = await client.GetAsync("/api/v1/stream/site");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var read = silo.Client(BrowserSilo.ReadKey);
        using var ok = await read.GetAsync("/api/v1/dashboard/key");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var retired = await read.GetAsync("/api/v1/cluster");
        Assert.Equal(HttpStatusCode.NotFound, retired.StatusCode);
    }

    private async Task SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(BrowserSilo.ScreenshotFolder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        Console.WriteLine($"screenshot: {path}");
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex("^[0-9]+\\.[0-9]{2} ms$")]
    private static partial Regex Milliseconds();

    [GeneratedRegex("(?:src|href)=\"(/dashboard/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
