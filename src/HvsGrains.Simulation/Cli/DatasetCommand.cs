using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Cli;

/// <summary><c>dataset --out DIR [--size small|medium|full] [--scenarios faults:N,benign:M] …</c></summary>
internal static class DatasetCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "Output folder for dataset.csv[.gz] and dataset.json", Required = true };
        var size = new Option<string>("--size") { Description = "Preset: small (< 1 min), medium (minutes), full (the whole catalogue)", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "medium", "full");
        var scenarios = new Option<string?>("--scenarios") { Description = "Override the preset, e.g. faults:200,benign:400[,fault-hours:8][,benign-hours:24]" };
        var interval = new Option<int>("--sample-interval") { Description = "Seconds between rows (the seed data uses 10)", DefaultValueFactory = _ => 10 };
        var window = new Option<double>("--window-min") { Description = "Prediction window before PNR, minutes (seed: 10–33)", DefaultValueFactory = _ => 20 };
        var guard = new Option<double>("--guard-s") { Description = "Guard buffer before PNR, seconds (seed: 30–60)", DefaultValueFactory = _ => 30 };
        var thin = new Option<int>("--thin") { Description = "Keep every Nth row of benign modules (features still see every reading)", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Catalogue seed (0 = the catalogue's own)", DefaultValueFactory = _ => 0 };
        var gzip = new Option<bool>("--gzip") { Description = "Write dataset.csv.gz" };

        var command = new Command("dataset", "Write a labelled training dataset with the module grain's own features.")
        {
            output, size, scenarios, interval, window, guard, thin, seed, gzip,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            ScenarioSelection selection = ScenarioSelection.Preset(parse.GetValue(size)!);
            if (parse.GetValue(scenarios) is { } text)
            {
                selection = ScenarioSelection.Parse(text, selection);
            }

            ulong s = parse.GetValue(seed);
            var options = new DatasetOptions
            {
                OutputDirectory = parse.GetValue(output)!,
                Scenarios = selection.Specs(s),
                SampleInterval = TimeSpan.FromSeconds(parse.GetValue(interval)),
                Labeler = new HazardLabeler
                {
                    PredictionWindow = TimeSpan.FromMinutes(parse.GetValue(window)),
                    GuardBuffer = TimeSpan.FromSeconds(parse.GetValue(guard)),
                },
                Thin = parse.GetValue(thin),
                Gzip = parse.GetValue(gzip),
                Selection = selection.ToString(),
                Seed = s,
                CommandLine = CommandLine(),
                Progress = p =>
                {
                    if (p.ScenariosDone % 10 == 0)
                    {
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[dataset] {p.ScenariosDone} scenarios, {p.Rows:N0} rows, {p.Positives:N0} positive, {p.Elapsed.TotalSeconds:0} s"));
                    }
                },
            };
            Console.Error.WriteLine($"[dataset] {selection} → {options.OutputDirectory}");
            var clock = Stopwatch.StartNew();
            DatasetManifest m = DatasetWriter.Write(options, cancellationToken);
            double seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[dataset] {m.Scenarios.Count} scenarios, {m.Rows:N0} rows ({m.Positives:N0} positive, {m.AppliedReadings:N0} readings through the features, {m.RejectedReadings:N0} rejected), {m.ModuleDays:N1} module-days in {seconds:0.0} s: {m.Rows / seconds:N0} rows/s, {m.AppliedReadings / seconds:N0} readings/s"));
            Console.WriteLine($"[dataset] wrote {Path.Combine(options.OutputDirectory, m.DataFile)} and {DatasetWriter.ManifestFileName} (features {m.FeatureSchema.Version} {m.FeatureSchema.Hash[..12]})");
            return Task.FromResult(0);
        });
        return command;
    }

    private static string CommandLine() =>
        string.Join(' ', new[] { "hvs-sim" }.Concat(Environment.GetCommandLineArgs().Skip(1)).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}
