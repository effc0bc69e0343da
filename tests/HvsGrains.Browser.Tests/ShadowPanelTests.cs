using System.Net.Http.Headers;
using HvsGrains.Grains.Features;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HvsGrains.Browser.Tests;

/// <summary>The site page's one line on a candidate in shadow: shown while one runs, gone once it is removed, no console errors either way.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShadowPanelTests(BrowserSilo silo)
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };

    [Fact]
    public async Task The_model_section_shows_a_candidate_in_shadow_while_it_runs()
    {
        using var admin = silo.Client(BrowserSilo.AdminKey);
        await using var context = await silo.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);
        await page.GotoAsync("/dashboard");
        await Expect(page.Locator("#conn")).ToContainTextAsync("Live", Live);
        await Expect(page.Locator("#shadow")).ToBeHiddenAsync();

        using var content = new ByteArrayContent(TestModels.Create(Schema.Names, Schema.Hash, "browser-candidate-1", threshold: 60));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using (var uploaded = await admin.PostAsync("/api/v1/admin/models/shadow", content))
        {
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        }

        try
        {
            await page.ReloadAsync();
            await Expect(page.Locator("#shadow")).ToContainTextAsync("browser-candidate-1", Live);
            await Expect(page.Locator("#shadow-summary")).ToContainTextAsync("readings compared", Live);
        }
        finally
        {
            using var removed = await admin.DeleteAsync("/api/v1/admin/models/shadow");
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        }

        await page.ReloadAsync();
        await Expect(page.Locator("#conn")).ToContainTextAsync("Live", Live);
        await Expect(page.Locator("#shadow")).ToBeHiddenAsync();
        Assert.Empty(errors.All);
    }
}
