using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvsGrains.Grains.Features;

namespace HvsGrains.Silo.Tests.FrontDoor;

/// <summary>
/// A candidate in shadow through the front door: bad candidates are refused with problem details naming the reason,
/// the read key cannot act, a running shadow is compared reading by reading without changing the module's level,
/// shows in module status and metrics, and is promoted or removed by an admin.
/// </summary>
public sealed partial class ShadowModelTests : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly DataFolder _data = new();

    [Fact]
    public async Task A_candidate_in_shadow_is_compared_shown_in_status_and_promoted()
    {
        await using var silo = await StartAsync();
        var admin = silo.ClientWithKey(SiloHost.AdminKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        await AssertProblemAsync(await read.GetAsync("/api/v1/model/shadow"), HttpStatusCode.NotFound, "shadow", "no candidate runs in shadow");

        using (var uploaded = await UploadAsync(admin, TestModels.Create(Schema.Names, Schema.Hash, "eager-60", threshold: 60)))
        {
            Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
            var view = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("eager-60", view.GetProperty("shadow").GetProperty("candidate").GetProperty("version").GetString());
            Assert.Equal("admin-key", view.GetProperty("shadow").GetProperty("candidate").GetProperty("uploadedBy").GetString());
            Assert.Equal("bundled-70", view.GetProperty("activeVersion").GetString());
        }

        // Three readings at 65 °C: the active model says 0.05 (max surface alone: Watch), the candidate 0.9 (Critical once held three readings).
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        await silo.ClientWithKey(SiloHost.IngestKey).PostReadingsAsync(
            Enumerable.Range(0, 3).Select(i => HeatingSequence.Normal("Shadow_M1", "RackS", start.AddSeconds(10 * i), temperature: 65)));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await read.GetJsonAsync("/api/v1/modules/Shadow_M1")).GetProperty("dataQuality").GetProperty("appliedReadings").GetInt64() == 3));
        var module = await read.GetJsonAsync("/api/v1/modules/Shadow_M1");
        Assert.Equal(("Watch", "bundled-70", "Critical"),
            (module.GetProperty("level").GetString(), module.GetProperty("modelVersion").GetString(), module.GetProperty("shadowLevel").GetString()));
        Assert.Equal((0.05, 0.9), (module.GetProperty("hazardProbability").GetDouble(), module.GetProperty("shadowProbability").GetDouble()), new Tolerance(1e-6));

        var trial = await read.GetJsonAsync("/api/v1/model/shadow");
        var comparison = trial.GetProperty("comparison");
        Assert.Equal((3, 2), (comparison.GetProperty("counts").GetProperty("compared").GetInt64(), comparison.GetProperty("counts").GetProperty("sameLevel").GetInt64()));
        var difference = Assert.Single(comparison.GetProperty("differences").EnumerateArray());
        Assert.Equal(("Shadow_M1", "Watch", "Critical", start.AddSeconds(20)),
            (difference.GetProperty("moduleId").GetString(), difference.GetProperty("activeLevel").GetString(), difference.GetProperty("shadowLevel").GetString(),
             difference.GetProperty("sensorTime").GetDateTimeOffset()));
        var times = Assert.Single(comparison.GetProperty("modules").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, times.GetProperty("activeCriticalAt").ValueKind);
        Assert.Equal(start.AddSeconds(20), times.GetProperty("shadowCriticalAt").GetDateTimeOffset());
        Assert.Equal(1, comparison.GetProperty("critical").GetProperty("shadowOnly").GetInt32());
        Assert.Equal("eager-60", Assert.Single(trial.GetProperty("silos").EnumerateArray()).GetProperty("shadowVersion").GetString());

        var metrics = await read.GetStringAsync("/metrics");
        Assert.Equal(3, Sample(metrics, "hvs_shadow_readings_compared_total"));
        Assert.Equal(1, Sample(metrics, "hvs_shadow_readings_disagreed_total"));

        using (var promoted = await admin.PostAsync("/api/v1/admin/models/shadow/promote", null))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
            var view = await promoted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("eager-60", view.GetProperty("current").GetProperty("version").GetString());
            Assert.Equal("bundled-70", view.GetProperty("previous").GetProperty("version").GetString());
            Assert.Equal("admin-key", view.GetProperty("catalog").GetProperty("changedBy").GetString());
            Assert.Equal(JsonValueKind.Null, view.GetProperty("catalog").GetProperty("shadow").ValueKind);
        }

        await AssertProblemAsync(await read.GetAsync("/api/v1/model/shadow"), HttpStatusCode.NotFound, "shadow", "no candidate runs in shadow");
        await AssertProblemAsync(await admin.PostAsync("/api/v1/admin/models/shadow/promote", null), HttpStatusCode.Conflict, "shadow", "There is no shadow model to promote.");
        using (var rollback = await admin.PostAsync("/api/v1/admin/models/rollback", null))
        {
            Assert.Equal("bundled-70", (await rollback.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("current").GetProperty("version").GetString());
        }
    }

    [Fact]
    public async Task Bad_candidates_are_refused_naming_the_reason_and_the_read_key_cannot_act()
    {
        await using var silo = await StartAsync();
        var admin = silo.ClientWithKey(SiloHost.AdminKey);
        var read = silo.ClientWithKey(SiloHost.ReadKey);
        var candidate = TestModels.Create(Schema.Names, Schema.Hash, "eager-60", threshold: 60);

        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(read, candidate)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.PostAsync("/api/v1/admin/models/shadow/promote", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await read.DeleteAsync("/api/v1/admin/models/shadow")).StatusCode);
        await AssertProblemAsync(await UploadAsync(admin, []), HttpStatusCode.BadRequest, "body", "the body holds no model");
        await AssertProblemAsync(await UploadAsync(admin, [0x08, 0x01, 0xff, 0x00]), HttpStatusCode.UnprocessableEntity, "body", "Not a usable ONNX model");
        await AssertProblemAsync(
            await UploadAsync(admin, TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "foreign", feature: Schema.Names[0])),
            HttpStatusCode.UnprocessableEntity, "body", "The model has 10 features");
        using (var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
        {
            await AssertProblemAsync(await admin.PostAsync("/api/v1/admin/models/shadow", json), HttpStatusCode.UnsupportedMediaType, "Content-Type", "application/octet-stream");
        }

        await AssertProblemAsync(
            await UploadAsync(admin, await File.ReadAllBytesAsync(Path.Combine(_data.Path, "bundled.onnx"))), HttpStatusCode.Conflict, "body", "the active model");
        await AssertProblemAsync(await admin.DeleteAsync("/api/v1/admin/models/shadow"), HttpStatusCode.Conflict, "shadow", "There is no shadow model to remove.");
        Assert.Equal(JsonValueKind.Null, (await read.GetJsonAsync("/api/v1/model")).GetProperty("catalog").GetProperty("shadow").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(admin, candidate)).StatusCode);
        using (var removed = await admin.DeleteAsync("/api/v1/admin/models/shadow"))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            Assert.Equal("bundled-70", (await removed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("current").GetProperty("version").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await read.GetAsync("/api/v1/model/shadow")).StatusCode);
    }

    private async Task<SiloHost> StartAsync()
    {
        var bundled = Path.Combine(_data.Path, "bundled.onnx");
        Directory.CreateDirectory(_data.Path);
        await File.WriteAllBytesAsync(bundled, TestModels.Create(Schema.Names, Schema.Hash, "bundled-70", threshold: 70));
        return new SiloHost(_data.Path, new() { ["Hvs:Model:BundledModelPath"] = bundled });
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field, string reason)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            var reasons = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Contains(reasons, r => r!.Contains(reason, StringComparison.Ordinal));
        }
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] model)
    {
        var content = new ByteArrayContent(model);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return client.PostAsync("/api/v1/admin/models/shadow", content);
    }

    private static double Sample(string metrics, string family) =>
        MetricSample().Matches(metrics).Where(m => m.Groups["name"].Value == family).Sum(m => double.Parse(m.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{[^}]*\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex MetricSample();

    public void Dispose() => _data.Dispose();

    private sealed class Tolerance(double tolerance) : IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) x, (double, double) y) => Math.Abs(x.Item1 - y.Item1) <= tolerance && Math.Abs(x.Item2 - y.Item2) <= tolerance;

        public int GetHashCode((double, double) obj) => 0;
    }
}
