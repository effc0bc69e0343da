using System.Security.Cryptography;
using System.Text.Json;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;

namespace HvsGrains.Cli.Tests;

/// <summary>The README's retraining sequence, end to end (<see cref="SiteRetraining"/>): what each step made.</summary>
public sealed class SiteRetrainingTests(SiteRetraining retraining) : IClassFixture<SiteRetraining>
{
    [Fact]
    public void The_export_labels_the_judged_modules_rows_and_says_where_the_labels_came_from()
    {
        var summary = retraining.Export.Json;
        Assert.True(summary.GetProperty("rows").GetInt64() >= 4 * 130 - 10, retraining.Export.Output);
        Assert.True(summary.GetProperty("positives").GetInt64() > 0, retraining.Export.Output);
        Assert.Equal(summary.GetProperty("positives").GetInt64(), summary.GetProperty("rowsBySource").GetProperty("true-alarm").GetInt64());
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(retraining.ExportFolder, "dataset.json")));
        var alarm = Assert.Single(manifest.RootElement.GetProperty("site").GetProperty("alarms").EnumerateArray());
        Assert.Equal(("TrueAlarm", $"{SiteRetraining.Rack}_Module01"), (alarm.GetProperty("verdict").GetString(), alarm.GetProperty("moduleId").GetString()));
    }

    [Fact]
    public void Training_on_the_mix_makes_a_candidate_the_silo_accepts_and_a_report_comparing_it_with_the_active_model_on_the_same_scenarios()
    {
        Assert.True(retraining.TrainingExitCode == 0, retraining.TrainingOutput);
        var candidate = Path.Combine(retraining.RunFolder, "hazard-model.onnx");
        Assert.True(File.Exists(candidate), retraining.TrainingOutput);

        // The silo's own validator (what an upload or a shadow upload goes through): features, outputs, metadata.
        var bytes = File.ReadAllBytes(candidate);
        using var session = new OnnxHazardModelSession(bytes);
        var info = HazardModelValidator.Validate(session, candidate, Convert.ToHexString(SHA256.HashData(bytes)), DateTimeOffset.UnixEpoch);
        Assert.NotEqual("2026.11.22-xgb-a93a4da9", info.Version);

        using var comparison = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(retraining.RunFolder, "comparison.json")));
        var root = comparison.RootElement;
        var active = root.GetProperty("models").GetProperty("active");
        var mine = root.GetProperty("models").GetProperty("candidate");
        Assert.Equal("2026.11.22-xgb-a93a4da9", active.GetProperty("version").GetString());
        Assert.Equal(info.Version, mine.GetProperty("version").GetString());
        // The same held-out rows for both, and each model's own figures on them.
        Assert.Equal(active.GetProperty("test_rows").GetProperty("rows").GetInt32(), mine.GetProperty("test_rows").GetProperty("rows").GetInt32());
        Assert.Equal(active.GetProperty("test_events").GetProperty("runaway_modules").GetInt32(), mine.GetProperty("test_events").GetProperty("runaway_modules").GetInt32());
        Assert.True(active.GetProperty("test_events").GetProperty("runaway_modules").GetInt32() > 0);
        foreach (var model in new[] { active, mine })
        {
            Assert.InRange(model.GetProperty("test_events").GetProperty("event_recall").GetDouble(), 0, 1);
        }

        var site = Assert.Single(root.GetProperty("sites").EnumerateArray());
        Assert.True(site.GetProperty("candidate").GetProperty("true-alarm").GetProperty("rows").GetInt32() > 0);

        var report = File.ReadAllText(Path.Combine(retraining.RunFolder, "report.md"));
        Assert.Contains("## Candidate vs. active model", report, StringComparison.Ordinal);
        Assert.Contains($"active 2026.11.22-xgb-a93a4da9 | candidate {info.Version}", report, StringComparison.Ordinal);
        Assert.Contains("runaway modules alarmed before PNR", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_candidate_goes_to_shadow_beside_the_active_model()
    {
        var candidate = Path.Combine(retraining.RunFolder, "hazard-model.onnx");
        var upload = await HvsRun.RunAsync("model", "upload", "--shadow", candidate, "--by", "retraining test", "--gateway", $"127.0.0.1:{retraining.Silo.GatewayPort}");
        Assert.True(upload.ExitCode == ExitCodes.Ok, upload.ToString());

        using var http = retraining.Silo.Client(SiloProcess.ReadKey);
        using var response = await http.GetAsync("/api/v1/model/shadow");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var shadow = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var version = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(retraining.RunFolder, "comparison.json"))).RootElement
            .GetProperty("models").GetProperty("candidate").GetProperty("version").GetString()!;
        Assert.Contains(version, shadow.ToString(), StringComparison.Ordinal);
        Assert.Contains("2026.11.22-xgb-a93a4da9", shadow.ToString(), StringComparison.Ordinal);
    }
}
