using System.Globalization;
using System.Text.RegularExpressions;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Metrics;

/// <summary>The site stream of a real silo process: the whole picture first, then pushed changes, counted at /metrics.</summary>
public sealed partial class SiteFeedMetricsTests(MetricsSiloFixture silo) : IClassFixture<MetricsSiloFixture>
{
    [Fact]
    public async Task A_site_stream_gets_the_picture_then_a_pushed_change_and_the_scrape_counts_the_client_the_notification_and_the_events()
    {
        using var read = silo.Client(MetricsSiloFixture.ReadKey);
        read.Timeout = Timeout.InfiniteTimeSpan;
        using (var response = await read.GetAsync("/api/v1/stream/site", HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new StreamReader(await response.Content.ReadAsStreamAsync());

            var first = await NextSiteEventAsync(events);
            Assert.Contains(MetricsSiloFixture.CriticalModuleId, first, StringComparison.Ordinal);

            // A new module in the rack changes the warehouse's picture of it: pushed to this silo's feed, then to the stream.
            const string added = MetricsSiloFixture.RackId + "_Module05";
            using var ingest = silo.Client(MetricsSiloFixture.IngestKey);
            using var accepted = await ingest.PostReadingsAsync([HeatingSequence.Normal(added, MetricsSiloFixture.RackId, DateTimeOffset.UtcNow.AddSeconds(-30))]);
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
            string next;
            do
            {
                next = await NextSiteEventAsync(events);
            }
            while (!next.Contains(added, StringComparison.Ordinal));

            var text = await ScrapeAsync();
            Assert.Equal(1, Value(text, "hvs_site_feed_clients"));
            Assert.True(Value(text, "hvs_site_feed_notifications_total") >= 1, "no notification was counted");
            Assert.True(Value(text, "hvs_site_feed_events_total", "event=\"site\"") >= 2, "fewer site events than were read");
            var (exitCode, output) = await ExternalTool.RunAsync(ExternalTool.Promtool, ["check", "metrics"], input: text);
            Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics (exit {exitCode}):\n{output}");
        }

        // The stream is closed: the silo notices and counts the client gone.
        Assert.True(await Eventually.HoldsAsync(async () => Value(await ScrapeAsync(), "hvs_site_feed_clients") == 0, attempts: 2000), "the client stayed counted");
    }

    /// <summary>The data of the next 'site' event (skipping comments and other events).</summary>
    private static async Task<string> NextSiteEventAsync(StreamReader events)
    {
        string? name = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await events.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "site")
            {
                return line["data: ".Length..];
            }
            else if (line.Length == 0)
            {
                name = null;
            }
        }

        throw new InvalidOperationException("the stream ended");
    }

    private async Task<string> ScrapeAsync()
    {
        using var scraper = silo.Client(MetricsSiloFixture.MetricsKey);
        return await scraper.GetStringAsync("/metrics");
    }

    /// <summary>The sum of a family's samples (with <paramref name="label"/> among their labels, when given).</summary>
    private static double Value(string text, string family, string label = "") => Sample().Matches(text)
        .Where(m => m.Groups["name"].Value == family && m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
        .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
