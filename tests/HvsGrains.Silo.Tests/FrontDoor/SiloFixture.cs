using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>A silo on a data folder that outlives it, so a test can stop it and start another on the same files.</summary>
public sealed class SiloHost : WebApplicationFactory<Program>
{
    public const string IngestKey = "test-ingest-key";
    public const string ReadKey = "test-read-key";
    public const string AdminKey = "test-admin-key";
    public const string OperatorKey = "test-operator-key";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _dataDirectory;
    private readonly Dictionary<string, string?> _settings;

    public SiloHost(string dataDirectory, Dictionary<string, string?>? settings = null)
    {
        _dataDirectory = dataDirectory;
        _settings = settings ?? [];
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in FreeTcpPorts.SiloSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Hvs:DataDirectory", _dataDirectory);
        builder.UseSetting("Hvs:ApiKeys:Ingest", IngestKey);
        builder.UseSetting("Hvs:ApiKeys:Read", ReadKey);
        builder.UseSetting("Hvs:ApiKeys:Admin", AdminKey);
        builder.UseSetting("Hvs:ApiKeys:Operator", OperatorKey);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>A data folder removed after the test.</summary>
public sealed class DataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hvs-silo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

/// <summary>HTTP helpers for the front door's JSON.</summary>
public static class FrontDoorClient
{
    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> PostReadingsAsync(this HttpClient client, IEnumerable<object> readings) =>
        client.PostAsJsonAsync("/api/v1/readings", readings, SiloHost.Json);
}
