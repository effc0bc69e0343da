using System.Diagnostics;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.Anomaly;

/// <summary>The model's "hvs.anomaly" metadata: read when well formed, the model refused with a clear reason when not.</summary>
public sealed class AnomalySettingsTests : IDisposable
{
    private const string Output = "anomaly_score";
    private static readonly string[] WithOutput = ["probabilities", Output];
    private readonly DataFolder _data = new();

    [Fact]
    public void Well_formed_settings_are_read()
    {
        var settings = AnomalySettings.Of(Metadata("""{"threshold": 0.61, "trees": 100, "max_samples": 256, "trained_on": "normal rows", "extra": 1}"""), WithOutput, Output);

        Assert.Equal(new AnomalySettings(0.61, 100, 256, "normal rows"), settings);
    }

    [Fact]
    public void A_model_without_an_anomaly_score_has_no_settings() =>
        Assert.Null(AnomalySettings.Of(new Dictionary<string, string>(), ["probabilities"], Output));

    [Theory]
    [InlineData("not json", "is not a JSON object")]
    [InlineData("""{"threshold": "high", "trees": 100, "max_samples": 256, "trained_on": "x"}""", "is not a JSON object")]
    [InlineData("""{"threshold": 1.2, "trees": 100, "max_samples": 256, "trained_on": "x"}""", "threshold must be between 0.5 and 1")]
    [InlineData("""{"trees": 100, "max_samples": 256, "trained_on": "x"}""", "threshold must be between 0.5 and 1")]
    [InlineData("""{"threshold": 0.6, "trees": 0, "max_samples": 256, "trained_on": "x"}""", "needs trees ≥ 1")]
    [InlineData("""{"threshold": 0.6, "trees": 100, "max_samples": 256}""", "lacks 'trained_on'")]
    [InlineData("null", "is empty")]
    public void Malformed_settings_refuse_the_model_naming_the_key_and_the_reason(string json, string reason)
    {
        var refused = Assert.Throws<ModelRejectedException>(() => AnomalySettings.Of(Metadata(json), WithOutput, Output));

        Assert.Contains("hvs.anomaly", refused.Message);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void Settings_without_the_output_or_the_output_without_settings_refuse_the_model()
    {
        var noOutput = Assert.Throws<ModelRejectedException>(() => AnomalySettings.Of(Metadata("""{"threshold": 0.6, "trees": 1, "max_samples": 256, "trained_on": "x"}"""), ["probabilities"], Output));
        var noSettings = Assert.Throws<ModelRejectedException>(() => AnomalySettings.Of(new Dictionary<string, string>(), WithOutput, Output));

        Assert.Contains("no 'anomaly_score' output", noOutput.Message);
        Assert.Contains("no 'hvs.anomaly' metadata", noSettings.Message);
    }

    [Fact]
    public void The_silo_refuses_a_real_model_whose_anomaly_metadata_is_malformed_and_keeps_the_rules_in_charge()
    {
        var bundled = RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx"));
        var broken = Path.Combine(_data.Path, "broken.onnx");
        SetMetadata(bundled, broken, "hvs.anomaly", """{"threshold": 7, "trees": 100, "max_samples": 256, "trained_on": "x"}""");
        using var meters = new TestMeterFactory();
        using var models = new HazardModelManager(
            Options.Create(new ModelOptions { BundledModelPath = broken, Directory = Path.Combine(_data.Path, "models") }),
            new ScoringMetrics(meters), TimeProvider.System, NullLogger<HazardModelManager>.Instance);

        models.LoadAtStartup();

        Assert.Null(models.Current);
        Assert.Contains("'hvs.anomaly' threshold must be between 0.5 and 1", models.RulesOnlyReason);
        var upload = Assert.Throws<ModelRejectedException>(() => models.Upload(File.ReadAllBytes(broken)));
        Assert.Contains("hvs.anomaly", upload.Message);
    }

    private static Dictionary<string, string> Metadata(string json) => new() { ["hvs.anomaly"] = json };

    /// <summary>Rewrites one metadata entry with Debian's python3-onnx (no ONNX writer in .NET here).</summary>
    private static void SetMetadata(string model, string output, string key, string value)
    {
        const string Script = """
            import sys, onnx
            m = onnx.load(sys.argv[1])
            for p in m.metadata_props:
                if p.key == sys.argv[3]:
                    p.value = sys.argv[4]
            onnx.save(m, sys.argv[2])
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var argument in new[] { "-c", Script, model, output, key, value })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3-onnx failed: {errors}");
    }

    public void Dispose() => _data.Dispose();
}
