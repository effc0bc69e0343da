using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HvsGrains.Browser.Tests;

/// <summary>
/// The site page is pushed to, not polled: two silo processes in cluster mode on a real PostgreSQL, the browser on
/// the first, changes made through the second. The first is killed and started again (the page reconnects and catches
/// up), then the second, by then the warehouse grain's silo, is killed (the grain moves, and the first subscribes again).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LivePushTests(BrowserSilo browser) : IDisposable
{
    // A rack per module: one rack gives one alarm per event, and each step here needs an alarm of its own.
    private static string RackOf(int slot) => $"RackP{slot}";
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };

    // A silo's death is noticed by membership probes, and Orleans routes nothing to its grains until then.
    private static readonly LocatorAssertionsToContainTextOptions AfterFailover = new() { Timeout = 90_000 };
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-3);
    private readonly string _firstData = NewFolder();
    private readonly string _secondData = NewFolder();

    [Fact]
    public async Task A_change_made_on_another_silo_shows_live_and_the_page_catches_up_after_its_own_silo_restarts()
    {
        await using var database = await PostgresServer.StartNewAsync();
        await database.CreateDatabaseAsync("push");
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Cluster:ConnectionString"] = database.ConnectionString("push"),
            ["Hvs:Orleans:ClusterId"] = "push-test",
            ["Hvs:Orleans:AdvertisedAddress"] = "127.0.0.1",
        };
        var first = SiloProcess.Start(_firstData, settings);
        using var second = SiloProcess.Start(_secondData, settings);
        try
        {
            Assert.True(await first.WaitReadyAsync(), first.RecentOutput);
            Assert.True(await second.WaitReadyAsync(), second.RecentOutput);
            await PostAsync(second, Enumerable.Range(1, 4).Select(i => HeatingSequence.Normal(Module(i), RackOf(i), Start.AddSeconds(-10))));

            await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = first.BaseAddress.ToString() });
            await context.AddInitScriptAsync($"localStorage.setItem('hvs.readKey', '{SiloProcess.ReadKey}');");
            var page = await context.NewPageAsync();
            await page.GotoAsync("/dashboard");
            await Expect(Cell(page, 1)).ToContainTextAsync("Normal", Live);
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            // Made through the other silo's front door; the first silo's page hears of it from the warehouse grain.
            await PostAsync(second, HeatingSequence.Readings(Module(1), RackOf(1), Start, 130));
            await Expect(Cell(page, 1)).ToContainTextAsync("Critical", Live);
            var pushed = await MetricAsync(first, "hvs_site_feed_notifications_total");
            Assert.True(pushed >= 1, $"the first silo's feed heard of {pushed} changes");
            Assert.Equal(1, await MetricAsync(first, "hvs_site_feed_clients"));

            // The page's silo dies. Once the cluster has declared it dead, a module turns Critical through the other silo
            // (which now holds the warehouse grain: it was there already, or it activates there, the only silo left).
            // Then the page's silo starts again at the same address.
            var dead = await DeadSilosAsync(database);
            first.Kill();
            await Expect(page.Locator("#conn")).ToContainTextAsync("Connection lost", Live);
            Assert.True(await Eventually.HoldsAsync(async () => await DeadSilosAsync(database) > dead, attempts: 3000), "the killed silo was never declared dead");
            await PostAsync(second, HeatingSequence.Readings(Module(2), RackOf(2), Start, 130));
            Assert.True(await Eventually.HoldsAsync(async () => await LevelAsync(second, Module(2)) == "Critical", attempts: 3000), "the module never turned Critical");
            await Expect(Cell(page, 2)).ToContainTextAsync("Normal");
            var ports = first.Ports;
            first.Dispose();
            first = SiloProcess.Start(_firstData, settings, ports);
            Assert.True(await first.WaitReadyAsync(), first.RecentOutput);

            // Reconnected by itself (same document) and caught up with the change it missed, alarm included.
            await Expect(Cell(page, 2)).ToContainTextAsync("Critical", Live);
            await Expect(page.Locator("#conn")).ToContainTextAsync("Live", Live);
            await Expect(page.Locator($"#alarms tr[data-alarm-subject='{Module(2)}']").First).ToContainTextAsync("Open", Live);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");

            // Live again for changes made on the other silo (the warehouse grain's) after the restart.
            await PostAsync(second, HeatingSequence.Readings(Module(3), RackOf(3), Start, 130));
            await Expect(Cell(page, 3)).ToContainTextAsync("Critical", Live);

            // The other silo dies: the warehouse grain moves to the first without its subscribers, and the first's feed
            // subscribes again (membership changed) and reads what it missed. The change is made once the cluster has
            // declared the silo dead (readings for grains on a silo not yet declared dead wait in the log for their
            // module's next activation).
            dead = await DeadSilosAsync(database);
            second.Kill();
            Assert.True(await Eventually.HoldsAsync(async () => await DeadSilosAsync(database) > dead, attempts: 3000), "the killed silo was never declared dead");
            await PostAsync(first, HeatingSequence.Readings(Module(4), RackOf(4), Start, 130));
            await Expect(Cell(page, 4)).ToContainTextAsync("Critical", AfterFailover);
            Assert.Equal(1, await MetricAsync(first, "hvs_site_feed_clients"));
        }
        finally
        {
            first.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var folder in new[] { _firstData, _secondData })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static string Module(int slot) => $"{RackOf(slot)}_Module01";

    private static ILocator Cell(IPage page, int slot) => page.Locator($"[data-module='{Module(slot)}']");

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hvs-browser-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task PostAsync(SiloProcess silo, IEnumerable<object> readings)
    {
        using var client = silo.Client(SiloProcess.IngestKey);
        foreach (var batch in readings.Chunk(50))
        {
            using var response = await client.PostAsJsonAsync("/api/v1/readings", batch, BrowserSilo.Json);
            Assert.True(response.IsSuccessStatusCode, $"POST readings: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string?> LevelAsync(SiloProcess silo, string moduleId)
    {
        using var client = silo.Client(SiloProcess.ReadKey);
        using var response = await client.GetAsync($"/api/v1/modules/{moduleId}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var status = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return status.RootElement.GetProperty("level").GetString();
    }

    /// <summary>Rows of the membership table with status Dead (6).</summary>
    private static async Task<int> DeadSilosAsync(PostgresServer database) => int.Parse(
        (await database.QueryAsync("SELECT count(*) FROM hvs_membership WHERE cluster_id = 'push-test' AND status = 6", "push")).Trim(),
        System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The sum of a series' values in the silo's Prometheus scrape.</summary>
    private static async Task<double> MetricAsync(SiloProcess silo, string name)
    {
        using var client = silo.Client(SiloProcess.ReadKey);
        var text = await client.GetStringAsync("/metrics");
        return Regex.Matches(text, $@"^{name}(?:\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
