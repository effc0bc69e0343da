using System.Text.Json;
using System.Text.Json.Serialization;

namespace HvsGrains.Simulation.Dataset;

/// <summary>The sidecar dataset.json: everything needed to reproduce and to trust a dataset file.</summary>
public sealed record DatasetManifest
{
    /// <summary>Bump with any change to the physics, sensors, catalogue or row format.</summary>
    public const string CurrentGeneratorVersion = "hvs-sim/2";

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string Generator { get; init; } = "HvsGrains.Simulation";
    public string GeneratorVersion { get; init; } = CurrentGeneratorVersion;
    public required string CommandLine { get; init; }
    public required string DataFile { get; init; }
    public required bool Gzip { get; init; }
    public required string Selection { get; init; }
    public required ulong Seed { get; init; }
    public required double SampleIntervalS { get; init; }
    public required ManifestLabel Label { get; init; }
    public required ManifestThinning Thinning { get; init; }
    public required ManifestFeatureSchema FeatureSchema { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required long Rows { get; init; }
    public required long Positives { get; init; }
    /// <summary>Rows of the faulted module of fault scenarios (never thinned).</summary>
    public required long FaultModuleRows { get; init; }
    /// <summary>Readings the front door's validator would reject: not fed to the features, not written.</summary>
    public required long RejectedReadings { get; init; }
    /// <summary>Readings fed to the feature code (written or thinned away).</summary>
    public required long AppliedReadings { get; init; }
    public required double ModuleDays { get; init; }
    public required IReadOnlyList<ManifestScenario> Scenarios { get; init; }

    /// <summary>Only in a dataset exported from a site's readings log: the range, racks and where the labels came from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Site.SiteExportInfo? Site { get; init; }
}

/// <summary>Label definition: 1 when PNR − window ≤ t ≤ PNR − guard.</summary>
public sealed record ManifestLabel(double PredictionWindowS, double GuardBufferS, string Definition);

/// <summary>Row thinning of benign modules.</summary>
public sealed record ManifestThinning(int Every, string AppliesTo);

/// <summary>The feature schema the features were computed with (the module grain's).</summary>
public sealed record ManifestFeatureSchema(string Version, string Hash, IReadOnlyList<string> Names);

/// <summary>One scenario of the dataset.</summary>
public sealed record ManifestScenario(
    string Id,
    string Chemistry,
    string Fault,
    int Severity,
    bool IsBenign,
    ulong Seed,
    string RackId,
    int ModuleCount,
    string FaultModule,
    DateTimeOffset Start,
    double DurationS,
    double FaultStartS,
    IReadOnlyDictionary<string, DateTimeOffset?> PnrTimes,
    long Rows,
    long Positives);
