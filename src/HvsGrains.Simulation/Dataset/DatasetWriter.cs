using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Dataset;

/// <summary>
/// Writes a labelled training dataset: per scenario, each module's readings in time order go through
/// the front door's <see cref="ReadingValidator"/> and the module grain's own
/// <see cref="ModuleFeatureState"/>, so the features are computed by the same code that serves them.
/// One CSV row per accepted reading (benign modules optionally thinned), then a dataset.json manifest.
/// Streaming: memory is one scenario's feature states plus a line buffer, whatever the dataset size.
/// Deterministic: the same options give a byte-identical file.
/// </summary>
public static class DatasetWriter
{
    /// <summary>CSV name without compression.</summary>
    public const string CsvFileName = "dataset.csv";

    /// <summary>Manifest name.</summary>
    public const string ManifestFileName = "dataset.json";

    /// <summary>The seed dataset's columns: timestamp, ids, then the nine sensors in <see cref="SensorChannel"/> order.</summary>
    public static IReadOnlyList<string> SeedColumns { get; } =
        ["Timestamp", "Module_ID", "Rack_ID", .. SensorChannels.All.Select(c => c.CsvColumn), "Hazard_Label"];

    /// <summary>Scenario metadata columns that follow the seed columns.</summary>
    public static IReadOnlyList<string> ScenarioColumns { get; } =
        ["Scenario_Id", "Chemistry", "Fault_Type", "Severity", "Is_Benign", "Is_Fault_Module", "Time_To_PNR_s"];

    /// <summary>
    /// Every column in order: seed columns, scenario columns, the module's deviation from its rack's peers at the
    /// same sample time (<see cref="PeerComparison.FeatureNames"/>, computed by the rack grain's own
    /// <see cref="PeerComparison"/>; empty when the rack has too few peers), then <see cref="FeatureVector.FeatureNames"/>
    /// last, where the training pipeline expects them.
    /// </summary>
    public static IReadOnlyList<string> Columns { get; } = [.. SeedColumns, .. ScenarioColumns, .. PeerComparison.FeatureNames, .. FeatureVector.FeatureNames];

    /// <summary>Writes the dataset and its manifest; returns the manifest.</summary>
    public static DatasetManifest Write(DatasetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Check();
        Directory.CreateDirectory(options.OutputDirectory);
        string dataFile = options.Gzip ? CsvFileName + ".gz" : CsvFileName;
        string dataPath = Path.Combine(options.OutputDirectory, dataFile);

        var runner = new ScenarioRunner(new RunnerOptions { SampleInterval = options.SampleInterval });
        var validator = new ReadingValidator();
        var totals = new Totals();
        var scenarios = new List<ManifestScenario>();
        var clock = Stopwatch.StartNew();

        using (var file = new FileStream(dataPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (Stream sink = options.Gzip ? new GZipStream(file, CompressionLevel.Optimal) : file)
        using (var writer = new StreamWriter(sink, new UTF8Encoding(false), 1 << 20))
        {
            writer.NewLine = "\n";
            writer.Write(string.Join(',', Columns));
            writer.Write('\n');
            var line = new CsvLine();
            foreach (ScenarioSpec spec in options.Scenarios)
            {
                cancellationToken.ThrowIfCancellationRequested();
                scenarios.Add(WriteScenario(spec, runner, validator, options, writer, line, totals));
                options.Progress?.Invoke(new DatasetProgress(scenarios.Count, spec.Id, totals.Rows, totals.Positives, clock.Elapsed));
            }
        }

        var manifest = new DatasetManifest
        {
            CommandLine = options.CommandLine,
            DataFile = dataFile,
            Gzip = options.Gzip,
            Selection = options.Selection,
            Seed = options.Seed,
            SampleIntervalS = options.SampleInterval.TotalSeconds,
            Label = new ManifestLabel(
                options.Labeler.PredictionWindow.TotalSeconds,
                options.Labeler.GuardBuffer.TotalSeconds,
                "Hazard_Label = 1 when PNR - predictionWindow <= Timestamp <= PNR - guardBuffer (both ends inclusive), else 0; 0 for modules without PNR"),
            Thinning = new ManifestThinning(
                options.Thin,
                "Rows of modules that never reach PNR and are not the faulted module of a fault scenario; every Nth accepted reading of such a module is written (features always use every reading)"),
            FeatureSchema = new ManifestFeatureSchema(FeatureSchema.Current.Version, FeatureSchema.Current.Hash, FeatureSchema.Current.Names),
            Columns = Columns,
            Rows = totals.Rows,
            Positives = totals.Positives,
            FaultModuleRows = totals.FaultModuleRows,
            RejectedReadings = totals.Rejected,
            AppliedReadings = totals.Applied,
            ModuleDays = totals.ModuleSeconds / 86400.0,
            Scenarios = scenarios,
        };
        File.WriteAllText(
            Path.Combine(options.OutputDirectory, ManifestFileName),
            JsonSerializer.Serialize(manifest, DatasetManifest.JsonOptions) + "\n",
            new UTF8Encoding(false));
        return manifest;
    }

    private static ManifestScenario WriteScenario(
        ScenarioSpec spec, ScenarioRunner runner, ReadingValidator validator, DatasetOptions options,
        StreamWriter writer, CsvLine line, Totals totals)
    {
        foreach (string id in new[] { spec.Id, spec.RackId })
        {
            if (id.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"Id '{id}' cannot be written to CSV unquoted.", nameof(spec));
            }
        }

        ScenarioRun run = runner.Start(spec);
        int n = spec.RackSize;
        bool benignScenario = spec.Fault.IsBenign();
        var states = new ModuleFeatureState[n];
        var thinnable = new bool[n];
        var seen = new long[n];
        var pnrTimes = new Dictionary<string, DateTimeOffset?>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string moduleId = spec.ModuleId(i);
            states[i] = new ModuleFeatureState(moduleId, FeatureOptions.Default);
            bool pnr = run.Outcome.Modules[i].Events.PnrReached;
            thinnable[i] = !pnr && (benignScenario || i != spec.FaultModule);
            pnrTimes[moduleId] = pnr ? spec.StartTime.AddSeconds(run.Outcome.Modules[i].Events.PnrS) : null;
        }

        string chemistry = spec.Chemistry.ToString().ToUpperInvariant();
        string fault = spec.Fault.ToString();
        long rows = 0, positives = 0;
        var step = new List<ModuleSample>(n);
        var peers = new PeerSample[n];
        var deviations = new PeerDeviation[n];
        foreach (ModuleSample sample in run.Samples)
        {
            SensorReading reading = sample.Sensors;
            int i = sample.ModuleIndex;
            if (validator.Validate(reading, reading.Timestamp).Count > 0)
            {
                totals.Rejected++; // the front door would refuse it: the grain never sees it
            }
            else if (states[i].Apply(reading) != ApplyOutcome.Applied)
            {
                throw new InvalidOperationException($"{spec.Id}: reading of {sample.ModuleId} at {sample.Timestamp:O} not applied (out of order).");
            }
            else
            {
                totals.Applied++;
                if (!thinnable[i] || seen[i]++ % options.Thin == 0)
                {
                    step.Add(sample);
                }
            }

            if (i < n - 1)
            {
                continue; // the rack's other modules of this sample time come next
            }

            // Every module of the sample time is in: compare each with its peers as the rack grain does.
            for (int m = 0; m < n; m++)
            {
                peers[m] = states[m].Current is { } current ? PeerSample.From(current) : default;
            }

            PeerComparison.Compare(peers, deviations);
            foreach (ModuleSample kept in step)
            {
                WriteRow(kept, states[kept.ModuleIndex].Current!, deviations[kept.ModuleIndex], spec, options, chemistry, fault, benignScenario, writer, line, totals, ref rows, ref positives);
            }

            step.Clear();
        }

        totals.Rows += rows;
        totals.Positives += positives;
        totals.ModuleSeconds += n * spec.Duration.TotalSeconds;
        return new ManifestScenario(
            spec.Id, chemistry, fault, spec.Severity, benignScenario, spec.Seed, spec.RackId, n,
            spec.ModuleId(spec.FaultModule), spec.StartTime, spec.Duration.TotalSeconds, spec.FaultStart.TotalSeconds,
            pnrTimes, rows, positives);
    }

    private static void WriteRow(
        in ModuleSample sample, FeatureVector features, PeerDeviation peer, ScenarioSpec spec, DatasetOptions options, string chemistry, string fault,
        bool benignScenario, StreamWriter writer, CsvLine line, Totals totals, ref long rows, ref long positives)
    {
        SensorReading reading = sample.Sensors;
        int i = sample.ModuleIndex;
        int label = options.Labeler.Label(in sample);
        line.Clear();
        ReadingColumns(line, reading);
        line.Integer(label);
        line.Text(spec.Id);
        line.Text(chemistry);
        line.Text(fault);
        line.Integer(spec.Severity);
        line.Integer(benignScenario ? 1 : 0);
        line.Integer(i == spec.FaultModule ? 1 : 0);
        line.Number(sample.PnrTime is { } pnrAt ? (pnrAt - sample.Timestamp).TotalSeconds : null);
        PeerAndFeatureColumns(line, peer, features);
        writer.Write(line.Span);
        writer.Write('\n');
        rows++;
        positives += label;
        if (!benignScenario && i == spec.FaultModule)
        {
            totals.FaultModuleRows++;
        }
    }

    /// <summary>The seed columns but the label: the reading's time, module, rack and nine sensors.</summary>
    internal static void ReadingColumns(CsvLine line, SensorReading reading)
    {
        line.Timestamp(reading.Timestamp);
        line.Text(reading.ModuleId);
        line.Text(reading.RackId);
        foreach (SensorChannelInfo channel in SensorChannels.All)
        {
            line.Number(reading.Get(channel.Channel));
        }
    }

    /// <summary>The last columns: the module against its rack's peers, then every feature.</summary>
    internal static void PeerAndFeatureColumns(CsvLine line, PeerDeviation peer, FeatureVector features)
    {
        line.Number(peer.TempAboveMedianC);
        line.Number(peer.RiseAboveMedianC);
        line.Number(peer.VoltageSagPercent);
        foreach (float value in features.AsSpan())
        {
            line.Number(value);
        }
    }

    private sealed class Totals
    {
        public long Rows;
        public long Positives;
        public long FaultModuleRows;
        public long Rejected;
        public long Applied;
        public double ModuleSeconds;
    }
}
