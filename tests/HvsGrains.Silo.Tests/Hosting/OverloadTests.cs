using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Hosting;

/// <summary>
/// More ingest senders than the silo's limit, against the silo as a process of its own (loopback, bounded): some
/// batches are shed with Retry-After, every acknowledged reading is in its module's history and no shed one is,
/// and health and reads answer while ingest is saturated.
/// </summary>
public sealed class OverloadTests : IDisposable
{
    private const int Senders = 12;
    private const int BatchesPerSender = 25;
    private const int Modules = 40;
    private const int StampsPerBatch = 5;
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task Beyond_its_limit_the_silo_sheds_with_retry_after_loses_no_acknowledged_reading_and_keeps_answering_health_and_reads()
    {
        using var silo = SiloProcess.Start(Path.Combine(_folder.Path, "data"), new Dictionary<string, string>
        {
            ["Hvs:Ingest:MaxConcurrentRequests"] = "2",
            ["Hvs:Ingest:MaxQueuedRequests"] = "0",
        });
        using var http = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        Assert.True(await silo.WaitReadyAsync(), $"the silo did not become ready:{Environment.NewLine}{silo.RecentOutput}");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        start = new DateTimeOffset(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var acknowledged = new ConcurrentBag<DateTimeOffset>();
        var shed = 0;
        var shedWithoutRetryAfter = 0;
        var otherAnswers = new ConcurrentBag<string>();

        using var saturated = new CancellationTokenSource();
        var probes = new[] { "/health/live", "/health/ready", "/api/v1/warehouse" }.Select(path => ProbeAsync(http, path, saturated.Token)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            for (var b = 0; b < BatchesPerSender; b++)
            {
                var first = start.AddSeconds(((sender * BatchesPerSender) + b) * StampsPerBatch);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/readings") { Content = JsonContent.Create(Batch(first), options: SiloHost.Json) };
                request.Headers.Add("X-Api-Key", SiloProcess.IngestKey);
                using var response = await http.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.UnprocessableEntity)
                {
                    var accepted = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32();
                    Assert.Equal(Modules * StampsPerBatch, accepted);
                    for (var s = 0; s < StampsPerBatch; s++)
                    {
                        acknowledged.Add(first.AddSeconds(s));
                    }
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref shed);
                    if (response.Headers.RetryAfter?.Delta is null)
                    {
                        Interlocked.Increment(ref shedWithoutRetryAfter);
                    }
                }
                else
                {
                    otherAnswers.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        await saturated.CancelAsync();
        var answered = await Task.WhenAll(probes);

        Assert.Empty(otherAnswers);
        Assert.True(shed > 0, "no batch was shed: the senders did not exceed the limit");
        Assert.Equal(0, shedWithoutRetryAfter);
        Assert.NotEmpty(acknowledged);
        foreach (var (path, successes, failures) in answered)
        {
            Assert.True(failures.Count == 0, $"{path} failed during saturation: {string.Join("; ", failures.Take(3))}");
            Assert.True(successes > 0, $"{path} never answered during saturation");
        }

        // Every acknowledged reading is in its module's history, and nothing shed is.
        var expected = acknowledged.Select(t => t.UtcTicks).Order().ToList();
        var from = Uri.EscapeDataString(start.AddMinutes(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        using var reader = silo.Client(SiloProcess.ReadKey);
        for (var m = 1; m <= Modules; m++)
        {
            var history = await reader.GetJsonAsync($"/api/v1/modules/{ModuleId(m)}/readings?from={from}&to={to}");
            var logged = history.GetProperty("readings").EnumerateArray()
                .Select(r => r.GetProperty("reading").GetProperty("timestamp").GetDateTimeOffset().UtcTicks).Order().ToList();
            Assert.Equal(expected, logged);
        }
    }

    public void Dispose() => _folder.Dispose();

    private static string ModuleId(int m) => string.Create(CultureInfo.InvariantCulture, $"Ovl_Module{m:D2}");

    private static List<object> Batch(DateTimeOffset first) =>
        [.. Enumerable.Range(0, StampsPerBatch).SelectMany(s => Enumerable.Range(1, Modules).Select(m => HeatingSequence.Normal(ModuleId(m), "RackOvl", first.AddSeconds(s))))];

    /// <summary>Asks <paramref name="path"/> one request at a time until saturation ends; counts successes and keeps failures.</summary>
    private static async Task<(string Path, int Successes, List<string> Failures)> ProbeAsync(HttpClient http, string path, CancellationToken saturated)
    {
        var successes = 0;
        var failures = new List<string>();
        while (!saturated.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("X-Api-Key", SiloProcess.ReadKey);
            try
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                if (response.IsSuccessStatusCode)
                {
                    successes++;
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}");
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                failures.Add(exception.Message);
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return (path, successes, failures);
    }
}
