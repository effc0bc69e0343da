using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HvsGrains.Browser.Tests;

/// <summary>The module page draws the max-surface forecast as a dashed series with its interval, and says when each threshold is expected.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ForecastChartTests(BrowserSilo silo)
{
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_heating_modules_page_shows_the_dashed_forecast_series_and_the_time_to_Warning()
    {
        const string module = "RackF1_Module01";
        var start = DateTimeOffset.UtcNow.AddMinutes(-15);
        // 12 minutes rising 1.5 °C a minute from 35 °C.
        await silo.PostReadingsAsync(Enumerable.Range(0, 73).Select(i => HeatingSequence.Normal(module, "RackF1", start.AddSeconds(10 * i), 35 + (1.5 * i / 6.0))));
        await using var context = await silo.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new PageErrors(page);

        await page.GotoAsync($"/dashboard/modules/{module}");

        await Expect(page.Locator("#forecast-note")).ToContainTextAsync("Warning (MaxSurfaceTempC 80 °C) in about", Live);
        await Expect(page.Locator("#chart-temp")).ToHaveAttributeAsync("data-forecast-points", "6");
        await Expect(page.Locator("#chart-temp .u-legend")).ToContainTextAsync("Forecast max surface");
        // uPlot keeps each series' options: the forecast is drawn dashed, with finite values beyond the latest reading.
        var drawn = await page.EvaluateAsync<string>("""
            () => {
              const root = document.querySelector('#chart-temp .uplot');
              const plot = window.__hvsCharts && window.__hvsCharts.temp;
              if (!root || !plot) return 'no chart';
              const i = plot.series.findIndex((s) => s.label === 'Forecast max surface');
              const values = plot.data[i].filter((v) => v !== null && Number.isFinite(v));
              return JSON.stringify({ dash: plot.series[i].dash, points: values.length, rising: values[values.length - 1] > values[0] });
            }
            """);
        Assert.Equal("""{"dash":[6,4],"points":7,"rising":true}""", drawn);
        Assert.Empty(errors.All);
    }
}
