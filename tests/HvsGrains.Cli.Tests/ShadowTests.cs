using System.Text.Json;
using HvsGrains.Grains.Features;

namespace HvsGrains.Cli.Tests;

/// <summary>
/// `hvs model upload --shadow`, `hvs model shadow`, `hvs model promote` and `hvs model remove-shadow` through the site
/// catalog: a refused candidate changes nothing, the silo scores a candidate beside its model and the tool shows the
/// comparison; promotion is tried on a site of its own, so the site the other tests use keeps its active model.
/// </summary>
[Collection(CliSiloCollection.Name)]
public sealed class ShadowTests(CliSilo cluster) : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly string _folder = Directory.CreateTempSubdirectory("hvs-cli-shadow-").FullName;

    [Fact]
    public async Task A_candidate_in_shadow_is_compared_and_removed()
    {
        var none = await cluster.HvsAsync("model", "shadow");
        Assert.True(none.ExitCode == ExitCodes.NotFound, none.ToString());
        Assert.Contains("No candidate runs in shadow", none.Error, StringComparison.Ordinal);

        var foreign = Write("foreign.onnx", TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "cli-foreign", feature: Schema.Names[0]));
        var refused = await cluster.HvsAsync("model", "upload", "--shadow", foreign, "--by", "Grace");
        Assert.True(refused.ExitCode == ExitCodes.Refused, refused.ToString());
        Assert.StartsWith("hvs: Shadow model refused; nothing changes: The model has 10 features", refused.Error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await cluster.HvsAsync("model", "show", "--json")).Json.GetProperty("shadow").ValueKind);

        var candidate = Write("eager.onnx", TestModels.Create(Schema.Names, Schema.Hash, "cli-eager-60", threshold: 60));
        var uploaded = await cluster.HvsAsync("model", "upload", "--shadow", candidate, "--by", "Grace", "--json");
        Assert.True(uploaded.ExitCode == ExitCodes.Ok, uploaded.ToString());
        Assert.Equal(("cli-eager-60", "Grace"), (uploaded.Json.GetProperty("shadow").GetProperty("candidate").GetProperty("version").GetString(),
            uploaded.Json.GetProperty("shadow").GetProperty("candidate").GetProperty("uploadedBy").GetString()));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.HvsAsync("model", "show", "--json")).Json.GetProperty("silos").EnumerateArray().All(s => s.GetProperty("shadowVersion").GetString() == "cli-eager-60")),
            "the silo did not load the candidate");

        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        await cluster.PostReadingsAsync(Enumerable.Range(0, 3).Select(i => HeatingSequence.Normal("CliShadow_M1", "CliShadowRack", start.AddSeconds(10 * i), temperature: 65)));
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.HvsAsync("model", "shadow", "--json")).Json.GetProperty("comparison").GetProperty("counts").GetProperty("compared").GetInt64() == 3),
            "the silo did not report the three readings it compared");
        var json = (await cluster.HvsAsync("model", "shadow", "--json")).Json;
        Assert.Equal("cli-eager-60", json.GetProperty("shadow").GetProperty("candidate").GetProperty("version").GetString());
        var module = Assert.Single(json.GetProperty("comparison").GetProperty("modules").EnumerateArray());
        Assert.Equal(start.AddSeconds(20), module.GetProperty("shadowCriticalAt").GetDateTimeOffset()); // 0.9 held for three readings

        var table = await cluster.HvsAsync("model", "shadow");
        Assert.True(table.ExitCode == ExitCodes.Ok, table.ToString());
        Assert.Matches(@"(?m)^Shadow:\s+cli-eager-60 \(sha256 [0-9a-f]{12}, put in shadow by Grace at ", table.Output);
        Assert.Matches(@"(?m)^Compared:\s+3 readings$", table.Output);
        Assert.Matches(@"(?m)^CliShadow_M1\s+", table.Output);
        Assert.Matches(@"(?m)^SILO\s+SHADOW\s+REFUSED BECAUSE\s+LAST REPORT", table.Output);

        var removed = await cluster.HvsAsync("model", "remove-shadow", "--by", "Grace");
        Assert.True(removed.ExitCode == ExitCodes.Ok, removed.ToString());
        Assert.Equal(ExitCodes.NotFound, (await cluster.HvsAsync("model", "shadow")).ExitCode);
        var again = await cluster.HvsAsync("model", "remove-shadow", "--by", "Grace");
        Assert.True(again.ExitCode == ExitCodes.Refused, again.ToString());
        Assert.Contains("There is no shadow model to remove.", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promotion_makes_the_candidate_active_and_rollback_returns()
    {
        string[] site = ["--site", "cli-promote-" + Guid.NewGuid().ToString("N")[..8]];
        var nothing = await cluster.HvsAsync(["model", "promote", "--by", "Ada", .. site]);
        Assert.True(nothing.ExitCode == ExitCodes.Refused, nothing.ToString());
        Assert.Contains("There is no shadow model to promote.", nothing.Error, StringComparison.Ordinal);

        var candidate = Write("candidate.onnx", TestModels.Create(Schema.Names, Schema.Hash, "cli-candidate-3"));
        Assert.Equal(ExitCodes.Ok, (await cluster.HvsAsync(["model", "upload", "--shadow", candidate, "--by", "Grace", .. site])).ExitCode);

        var promoted = await cluster.HvsAsync(["model", "promote", "--by", "Ada", .. site]);
        Assert.True(promoted.ExitCode == ExitCodes.Ok, promoted.ToString());
        Assert.StartsWith("Model cli-candidate-3 is the site's active version", promoted.Output, StringComparison.Ordinal);
        var shown = await cluster.HvsAsync(["model", "show", .. site]);
        Assert.Matches(@"(?m)^Active:\s+cli-candidate-3 \(sha256 [0-9a-f]{12}, uploaded by Grace at ", shown.Output);
        Assert.Matches(@"(?m)^Previous:\s+the bundled model$", shown.Output);
        Assert.Matches(@"(?m)^Last change:\s+by Ada at ", shown.Output);

        var rolledBack = await cluster.HvsAsync(["model", "rollback", "--by", "Ada", .. site]);
        Assert.True(rolledBack.ExitCode == ExitCodes.Ok, rolledBack.ToString());
        Assert.StartsWith("Rolled back to the bundled model", rolledBack.Output, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] model)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, model);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
