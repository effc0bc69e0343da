using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HvsGrains.Silo.Tests.FrontDoor;

public sealed class GeneratedKeysTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Without_configured_keys_the_silo_makes_them_beside_its_database_and_keeps_them()
    {
        string readKey;
        await using (var first = new UnkeyedSilo(_data.Path))
        {
            using var refused = await first.CreateClient().GetAsync("/api/v1/warehouse");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            var file = Path.Combine(_data.Path, "api-keys.json");
            Assert.True(File.Exists(file));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            var keys = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(file));
            readKey = keys.GetProperty("Read").GetString()!;
            Assert.NotEqual(readKey, keys.GetProperty("Ingest").GetString());
        }

        await using var second = new UnkeyedSilo(_data.Path);
        var client = second.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", readKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/warehouse")).StatusCode);
    }

    [Fact]
    public async Task A_key_file_from_before_the_operator_role_gets_an_operator_key_and_keeps_the_others()
    {
        Directory.CreateDirectory(_data.Path);
        var file = Path.Combine(_data.Path, "api-keys.json");
        await File.WriteAllTextAsync(file, """{"Ingest":"old-ingest-key-0123456789","Read":"old-read-key-0123456789","Admin":"old-admin-key-0123456789","Metrics":"old-metrics-key-0123456789"}""");

        await using var silo = new UnkeyedSilo(_data.Path);
        var client = silo.CreateClient();
        using var refused = await client.GetAsync("/api/v1/warehouse");

        var keys = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(file));
        Assert.Equal("old-read-key-0123456789", keys.GetProperty("Read").GetString());
        var operatorKey = keys.GetProperty("Operator").GetString();
        Assert.False(string.IsNullOrEmpty(operatorKey));
        client.DefaultRequestHeaders.Add("X-Api-Key", operatorKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/alarms")).StatusCode);
    }

    public void Dispose() => _data.Dispose();

    private sealed class UnkeyedSilo(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in FreeTcpPorts.SiloSettings())
            {
                builder.UseSetting(key, value);
            }

            builder.UseSetting("Hvs:DataDirectory", dataDirectory);
        }
    }
}
