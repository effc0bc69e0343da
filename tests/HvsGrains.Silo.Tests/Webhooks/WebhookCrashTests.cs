using System.Net;
using System.Text.Json;
using HvsGrains.Silo.Tests.FrontDoor;

namespace HvsGrains.Silo.Tests.Webhooks;

/// <summary>
/// The silo as a process of its own records an alarm's notification while the receiver is down, is killed (SIGKILL) and
/// started again on the same data folder; when the receiver comes up it gets the notification.
/// </summary>
public sealed class WebhookCrashTests : IDisposable
{
    private const string Secret = "process-receiver-secret-0123456789";
    private const string Module = "RackH1_Module02";
    private const string Rack = "RackH1";
    private readonly DataFolder _folder = new();

    [Fact]
    public async Task A_notification_recorded_before_a_kill_minus_9_is_delivered_by_the_restarted_silo()
    {
        await using var receiver = new WebhookReceiver(Secret);
        var settings = new Dictionary<string, string>
        {
            ["Hvs:Webhooks:Endpoints:facility:Url"] = receiver.Url,
            ["Hvs:Webhooks:Endpoints:facility:Secret"] = Secret,
            ["Hvs:Webhooks:Delivery:FirstRetryDelay"] = "00:00:00.200",
            ["Hvs:Webhooks:Delivery:MaxRetryDelay"] = "00:00:01",
            ["Hvs:Webhooks:Delivery:WakeInterval"] = "00:00:01",
        };
        var data = Path.Combine(_folder.Path, "data");
        var start = DateTimeOffset.UtcNow.AddHours(-3);

        using (var first = SiloProcess.Start(data, settings))
        {
            Assert.True(await first.WaitReadyAsync(), "the first silo did not become ready: " + first.RecentOutput);
            using var ingest = first.Client(SiloProcess.IngestKey);
            using var posted = await ingest.PostReadingsAsync(HeatingSequence.Readings(Module, Rack, start, 130));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

            using var read = first.Client(SiloProcess.ReadKey);
            Assert.True(
                await Eventually.HoldsAsync(async () => Facility(await read.GetJsonAsync("/api/v1/webhooks")) is { } f && f.GetProperty("pending").GetInt32() >= 1 && f.GetProperty("lastFailure").ValueKind == JsonValueKind.String, 3000),
                "no notification waited for the receiver: " + first.RecentOutput);
            first.Kill();
        }

        Assert.Empty(receiver.Accepted);
        using var second = SiloProcess.Start(data, settings);
        Assert.True(await second.WaitReadyAsync(), "the restarted silo did not become ready: " + second.RecentOutput);
        await receiver.StartAsync();

        Assert.True(
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Distinct.Any(w => w.Type == "alarm.raised")), 3000),
            "the notification recorded before the kill never arrived: " + second.RecentOutput);
        var raised = receiver.Distinct.First();
        Assert.Equal("alarm.raised", raised.Type);
        Assert.Equal(Module, raised.Body.GetProperty("alarm").GetProperty("moduleId").GetString());
        Assert.Equal(0, receiver.BadSignatures);

        using var readAgain = second.Client(SiloProcess.ReadKey);
        Assert.True(await Eventually.HoldsAsync(async () => Facility(await readAgain.GetJsonAsync("/api/v1/webhooks"))!.Value.GetProperty("pending").GetInt32() == 0, 3000));
        var status = Facility(await readAgain.GetJsonAsync("/api/v1/webhooks"))!.Value;
        Assert.Equal(receiver.Accepted.Count, status.GetProperty("delivered").GetInt64());
    }

    public void Dispose() => _folder.Dispose();

    private static JsonElement? Facility(JsonElement status) =>
        status.EnumerateArray().Where(e => e.GetProperty("endpoint").GetString() == "facility").Select(e => (JsonElement?)e).FirstOrDefault();
}
