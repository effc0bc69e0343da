using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Dataset;

/// <summary>What <see cref="DatasetWriter"/> writes and how.</summary>
public sealed record DatasetOptions
{
    /// <summary>Folder for dataset.csv[.gz] and dataset.json (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The scenarios to run, in order (e.g. <see cref="ScenarioSelection.Specs"/>).</summary>
    public required IEnumerable<ScenarioSpec> Scenarios { get; init; }

    /// <summary>Sample (row) interval; the seed data uses 10 s. Must be a whole number of physics steps (1 s).</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Label window and guard (seed defaults: window 10–33 min, guard 30–60 s).</summary>
    public HazardLabeler Labeler { get; init; } = new();

    /// <summary>Keep only every Nth row of benign modules (no PNR, not the faulted module); 1 keeps all.</summary>
    public int Thin { get; init; } = 1;

    /// <summary>Write dataset.csv.gz instead of dataset.csv.</summary>
    public bool Gzip { get; init; }

    /// <summary>Recorded in the manifest: how the scenarios were chosen (preset/selection text).</summary>
    public string Selection { get; init; } = "custom";

    /// <summary>Recorded in the manifest: the seed the scenario selection used.</summary>
    public ulong Seed { get; init; }

    /// <summary>Recorded in the manifest: the command line that produced the dataset.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>Called after each scenario (for progress output); may be null.</summary>
    public Action<DatasetProgress>? Progress { get; init; }

    internal void Check()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory);
        ArgumentNullException.ThrowIfNull(Scenarios);
        ArgumentOutOfRangeException.ThrowIfLessThan(Thin, 1);
        if (SampleInterval <= TimeSpan.Zero || SampleInterval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SampleInterval), SampleInterval, "Must be a positive whole number of seconds.");
        }

        if (Labeler.GuardBuffer < TimeSpan.Zero || Labeler.PredictionWindow <= Labeler.GuardBuffer)
        {
            throw new ArgumentOutOfRangeException(nameof(Labeler), "The prediction window must be longer than the guard buffer (both ≥ 0).");
        }
    }
}

/// <summary>Progress after one scenario.</summary>
public readonly record struct DatasetProgress(int ScenariosDone, string ScenarioId, long Rows, long Positives, TimeSpan Elapsed);
