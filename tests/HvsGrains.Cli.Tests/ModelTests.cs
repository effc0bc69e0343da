using System.Text.Json;
using HvsGrains.Grains.Features;

namespace HvsGrains.Cli.Tests;

/// <summary>
/// `hvs model show|upload|rollback` through the site's model catalog grain: a refused model changes nothing, an
/// accepted one is followed by the silo (seen through its own HTTP API), and rollback returns to the bundled model.
/// </summary>
[Collection(CliSiloCollection.Name)]
public sealed class ModelTests(CliSilo cluster) : IDisposable
{
    private static readonly FeatureSchema Schema = FeatureSchema.Current;
    private readonly string _folder = Directory.CreateTempSubdirectory("hvs-cli-models-").FullName;

    [Fact]
    public async Task Upload_refusal_and_rollback_reach_the_silo_through_the_catalog()
    {
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.HvsAsync("model", "show", "--json")).Json.GetProperty("silos").EnumerateArray().Any(s => s.GetProperty("source").GetString() == "bundled")),
            "the silo never reported its bundled model to the catalog");
        var fresh = await cluster.HvsAsync("model", "show");
        Assert.Matches(@"(?m)^Active:\s+the bundled model$", fresh.Output);
        Assert.Matches(@"(?m)^Previous:\s+none$", fresh.Output);

        var nothing = await cluster.HvsAsync("model", "rollback", "--by", "Grace");
        Assert.True(nothing.ExitCode == ExitCodes.Refused, nothing.ToString());
        Assert.Contains("no previous model", nothing.Error, StringComparison.Ordinal);

        var foreign = Write("foreign.onnx", TestModels.Create([.. Schema.Names.Take(10)], Schema.Hash, "cli-foreign", feature: Schema.Names[0]));
        var refused = await cluster.HvsAsync("model", "upload", foreign, "--by", "Grace");
        Assert.True(refused.ExitCode == ExitCodes.Refused, refused.ToString());
        Assert.StartsWith("hvs: Model refused; the previous model stays in use: The model has 10 features", refused.Error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, (await cluster.HvsAsync("model", "show", "--json")).Json.GetProperty("active").ValueKind);

        var good = Write("good.onnx", TestModels.Create(Schema.Names, Schema.Hash, "cli-uploaded-2"));
        var uploaded = await cluster.HvsAsync("model", "upload", good, "--by", "Grace", "--json");
        Assert.True(uploaded.ExitCode == ExitCodes.Ok, uploaded.ToString());
        Assert.Equal("cli-uploaded-2", uploaded.Json.GetProperty("active").GetProperty("version").GetString());
        Assert.Equal("Grace", uploaded.Json.GetProperty("active").GetProperty("uploadedBy").GetString());
        Assert.True(uploaded.Json.GetProperty("canRollBack").GetBoolean());
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.GetJsonAsync("/api/v1/model")).GetProperty("current").GetProperty("version").GetString() == "cli-uploaded-2"),
            "the silo did not follow the catalog to the uploaded model");
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.HvsAsync("model", "show", "--json")).Json.GetProperty("silos").EnumerateArray().All(s => s.GetProperty("version").GetString() == "cli-uploaded-2")));

        var rolledBack = await cluster.HvsAsync("model", "rollback", "--by", "Grace");
        Assert.True(rolledBack.ExitCode == ExitCodes.Ok, rolledBack.ToString());
        Assert.StartsWith("Rolled back to the bundled model", rolledBack.Output, StringComparison.Ordinal);
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await cluster.GetJsonAsync("/api/v1/model")).GetProperty("current").GetProperty("source").GetString() == "bundled"),
            "the silo did not follow the rollback");
        var shown = await cluster.HvsAsync("model", "show");
        Assert.Matches(@"(?m)^Previous:\s+cli-uploaded-2 \(sha256 [0-9a-f]{12}\)$", shown.Output);
        Assert.Matches(@"(?m)^Last change:\s+by Grace at ", shown.Output);
    }

    [Fact]
    public async Task A_missing_model_file_is_invalid_input()
    {
        var run = await cluster.HvsAsync("model", "upload", Path.Combine(_folder, "absent.onnx"), "--by", "Grace");

        Assert.True(run.ExitCode == ExitCodes.InvalidInput, run.ToString());
        Assert.Contains("absent.onnx", run.Error, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] model)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, model);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
