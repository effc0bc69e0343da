using System.Net;
using System.Net.Http.Json;

namespace HvsGrains.Silo.Tests.FrontDoor;

public sealed class ApiKeyTests : IClassFixture<ApiKeyTests.Silo>
{
    private readonly Silo _silo;

    public ApiKeyTests(Silo silo) => _silo = silo;

    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/v1/warehouse" },
        { "GET", "/api/v1/racks/RackA1" },
        { "GET", "/api/v1/modules/RackA1_Module01" },
        { "GET", "/api/v1/modules/RackA1_Module01/readings" },
        { "GET", "/api/v1/alarms" },
        { "POST", "/api/v1/alarms/ALM-000001/ack" },
        { "POST", "/api/v1/alarms/ALM-000001/verdict" },
        { "GET", "/api/v1/alarms/verdicts" },
        { "POST", "/api/v1/readings" },
        { "POST", "/api/v1/readings/csv" },
        { "GET", "/openapi/v1.json" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_a_missing_or_unknown_key_with_401(string method, string path)
    {
        foreach (var key in new[] { null, "not-a-key", SiloHost.ReadKey + "x" })
        {
            using var response = await Send(_silo.ClientWithKey(key), method, path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData(SiloHost.ReadKey, "POST", "/api/v1/readings")]
    [InlineData(SiloHost.ReadKey, "POST", "/api/v1/readings/csv")]
    [InlineData(SiloHost.IngestKey, "GET", "/api/v1/warehouse")]
    [InlineData(SiloHost.IngestKey, "GET", "/api/v1/alarms")]
    [InlineData(SiloHost.IngestKey, "POST", "/api/v1/alarms/ALM-000001/ack")]
    [InlineData(SiloHost.ReadKey, "POST", "/api/v1/alarms/ALM-000001/ack")]
    [InlineData(SiloHost.ReadKey, "POST", "/api/v1/alarms/ALM-000001/verdict")]
    [InlineData(SiloHost.OperatorKey, "POST", "/api/v1/readings")]
    [InlineData(SiloHost.OperatorKey, "POST", "/api/v1/admin/models")]
    public async Task A_key_of_the_wrong_role_gets_403(string key, string method, string path)
    {
        using var response = await Send(_silo.ClientWithKey(key), method, path);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("role", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_admin_key_reads_and_ingests_and_health_needs_no_key()
    {
        var admin = _silo.ClientWithKey(SiloHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/warehouse")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostReadingsAsync([HeatingSequence.Normal("RackK1_Module01", "RackK1", DateTimeOffset.UtcNow)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.ClientWithKey(null).GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.ClientWithKey(null).GetAsync("/health/ready")).StatusCode);
        var openApi = await _silo.ClientWithKey(SiloHost.ReadKey).GetJsonAsync("/openapi/v1.json");
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/readings", out _));
    }

    [Fact]
    public async Task A_key_is_also_taken_as_a_bearer_token_and_other_schemes_are_not_keys()
    {
        var client = _silo.ClientWithKey(null);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/warehouse");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SiloHost.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);

        using var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/warehouse");
        basic.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", SiloHost.ReadKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(basic)).StatusCode);

        using var wrongBearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/warehouse");
        wrongBearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", SiloHost.ReadKey + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(wrongBearer)).StatusCode);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string method, string path) => method == "GET"
        ? client.GetAsync(path)
        : client.PostAsJsonAsync(path, Array.Empty<object>());

    public sealed class Silo() : IDisposable
    {
        private readonly DataFolder _data = new();
        private SiloHost? _host;

        public HttpClient ClientWithKey(string? key) => (_host ??= new SiloHost(_data.Path)).ClientWithKey(key);

        public void Dispose()
        {
            _host?.Dispose();
            _data.Dispose();
        }
    }
}
