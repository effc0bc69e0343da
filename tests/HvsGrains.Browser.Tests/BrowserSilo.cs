using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace HvsGrains.Browser.Tests;

/// <summary>
/// One silo listening on a loopback port (a browser needs a real socket, not a TestServer), on a temp
/// data folder with known keys, and one headless Debian chromium driven by Playwright.
/// </summary>
public sealed class BrowserSilo : IAsyncLifetime
{
    public const string IngestKey = "browser-test-ingest-key-7f3a";
    public const string ReadKey = "browser-test-read-key-c91e";
    public const string AdminKey = "browser-test-admin-key-52bd";
    public const string OperatorKey = "browser-test-operator-key-1d07";
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _data = Path.Combine(Path.GetTempPath(), "hvs-browser-tests", Guid.NewGuid().ToString("N"));
    private Factory? _factory;
    private IPlaywright? _playwright;

    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: $HVS_SCREENSHOTS, else screenshots/ beside the test assembly.</summary>
    public static string ScreenshotFolder => Environment.GetEnvironmentVariable("HVS_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (the tests never download a browser).");
        }

        _factory = new Factory(_data);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    public async Task PostReadingsAsync(IEnumerable<object> readings)
    {
        using var client = Client(IngestKey);
        foreach (var batch in readings.Chunk(50))
        {
            using var response = await client.PostAsJsonAsync("/api/v1/readings", batch, Json);
            Assert.True(response.IsSuccessStatusCode, $"POST readings: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A browser context whose pages already hold the read key (as after typing it once).</summary>
    public async Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, bool withKey = true)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = BaseAddress.ToString() });
        if (withKey)
        {
            await context.AddInitScriptAsync($"localStorage.setItem('hvs.readKey', '{ReadKey}');");
        }

        return context;
    }

    private sealed class Factory(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Hvs:DataDirectory", dataDirectory);
            builder.UseSetting("Hvs:ApiKeys:Ingest", IngestKey);
            builder.UseSetting("Hvs:ApiKeys:Read", ReadKey);
            builder.UseSetting("Hvs:ApiKeys:Admin", AdminKey);
            builder.UseSetting("Hvs:ApiKeys:Operator", OperatorKey);
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            foreach (var (key, value) in FreeTcpPorts.SiloSettings())
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSilo>
{
    public const string Name = "browser";
}

/// <summary>Console errors and uncaught exceptions of a page.</summary>
public sealed class PageErrors
{
    private readonly List<string> _errors = [];

    public PageErrors(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.Console += (_, message) =>
        {
            if (message.Type is "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }
}
