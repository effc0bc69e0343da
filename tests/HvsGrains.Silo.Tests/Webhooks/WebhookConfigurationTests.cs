using System.Net;
using HvsGrains.Silo.Tests.FrontDoor;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Tests.Webhooks;

public sealed class WebhookConfigurationTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Theory]
    [InlineData("Url", "hooks/alarms", "Hvs:Webhooks:Endpoints:facility:Url")]
    [InlineData("Secret", "", "Hvs:Webhooks:Endpoints:facility:Secret")]
    [InlineData("Events:0", "alarm.exploded", "Hvs:Webhooks:Endpoints:facility:Events:0")]
    public void A_bad_endpoint_setting_fails_the_start_with_a_message_naming_its_key(string setting, string value, string key)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hvs:Webhooks:Endpoints:facility:Url"] = "https://bms.example/hooks",
            ["Hvs:Webhooks:Endpoints:facility:Secret"] = "facility-secret-never-shown",
        };
        settings[$"Hvs:Webhooks:Endpoints:facility:{setting}"] = value;
        using var silo = new SiloHost(_data.Path, settings);

        var refused = Assert.ThrowsAny<OptionsValidationException>(() => silo.CreateClient());
        Assert.Contains(key, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("facility-secret-never-shown", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_lists_each_endpoint_to_the_read_role_without_secret_or_query_and_refuses_anonymous_callers()
    {
        await using var silo = new SiloHost(_data.Path, new()
        {
            ["Hvs:Webhooks:Endpoints:facility:Url"] = "http://127.0.0.1:9/hooks?token=abc",
            ["Hvs:Webhooks:Endpoints:facility:Secret"] = "facility-secret-never-shown",
        });

        using var anonymous = await silo.ClientWithKey(null).GetAsync("/api/v1/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var response = await silo.ClientWithKey(SiloHost.ReadKey).GetAsync("/api/v1/webhooks");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("facility-secret-never-shown", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token", text, StringComparison.Ordinal);
        var endpoint = Assert.Single((await silo.ClientWithKey(SiloHost.ReadKey).GetJsonAsync("/api/v1/webhooks")).EnumerateArray());
        Assert.Equal(("facility", "http://127.0.0.1:9/hooks", 0), (endpoint.GetProperty("endpoint").GetString(), endpoint.GetProperty("url").GetString(), endpoint.GetProperty("pending").GetInt32()));
        Assert.Equal(4, endpoint.GetProperty("events").GetArrayLength());
    }

    public void Dispose() => _data.Dispose();
}
