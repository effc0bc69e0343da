using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HvsGrains.Simulation.Dataset;

namespace HvsGrains.Cli.Tests;

/// <summary>
/// The README's "Retraining from the site's own readings", once, end to end on a small range: a rack's readings through
/// the front door, its alarm judged a true alarm, `hvs export`, then `hvs_training train --data SIM --site EXPORT --quick
/// --active-model BUNDLED`. The tests look at what it made. A small simulator dataset is written here, or taken from
/// HVS_SMALL_DATASET (tests/run-all.sh makes one).
/// </summary>
public sealed class SiteRetraining : IAsyncLifetime
{
    public const string Rack = "Retrain";
    private readonly string _folder = Directory.CreateTempSubdirectory("hvs-site-retrain-").FullName;
    private readonly string _silo = Directory.CreateTempSubdirectory("hvs-site-retrain-silo-").FullName;

    public SiloProcess Silo { get; private set; } = null!;

    public string ExportFolder => Path.Combine(_folder, "site");

    public string ActiveModel { get; } = RepositoryFiles.Find("src/HvsGrains.Silo/BundledModel/hazard-model.onnx");

    /// <summary>The run folder the training printed (hazard-model.onnx, report.md, comparison.json).</summary>
    public string RunFolder { get; private set; } = "";

    public HvsRun Export { get; private set; } = null!;

    public string TrainingOutput { get; private set; } = "";

    public int TrainingExitCode { get; private set; }

    public DateTimeOffset Start { get; } = DateTimeOffset.UtcNow.AddHours(-2);

    public async Task InitializeAsync()
    {
        Silo = SiloProcess.Start(_silo);
        Assert.True(await Silo.WaitReadyAsync(), $"the silo did not become ready:{Environment.NewLine}{Silo.RecentOutput}");
        var simulated = Task.Run(SimulatorDataset);

        // 1. Readings: one module heating towards runaway beside three calm peers; the rack raises one alarm.
        using var ingest = Silo.Client(SiloProcess.IngestKey);
        var readings = HeatingSequence.Readings($"{Rack}_Module01", Rack, Start, 130)
            .Concat(Enumerable.Range(0, 130).SelectMany(i => Enumerable.Range(2, 3).Select(m =>
                HeatingSequence.Normal($"{Rack}_Module0{m}", Rack, Start.AddSeconds(10 * i), temperature: 25 + m))));
        foreach (var batch in readings.Chunk(250))
        {
            using var posted = await ingest.PostAsJsonAsync("/api/v1/readings", batch);
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        }

        // 2. The operator's verdict: a true alarm (admin may judge as the operator does).
        using var admin = Silo.Client(SiloProcess.AdminKey);
        string? alarmId = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var alarms = await admin.GetFromJsonAsync<JsonElement>("/api/v1/alarms");
            alarmId = alarms.EnumerateArray().FirstOrDefault(a => a.GetProperty("rackId").GetString() == Rack && a.GetProperty("kind").GetString() != "SensorFault")
                is { ValueKind: JsonValueKind.Object } alarm ? alarm.GetProperty("id").GetString() : null;
            return alarmId is not null;
        }), "the heating module's rack raised no alarm");
        using var judged = await admin.PostAsJsonAsync($"/api/v1/alarms/{alarmId}/verdict", new { verdict = "true-alarm" });
        Assert.Equal(HttpStatusCode.OK, judged.StatusCode);

        // 3. hvs export: the range as a dataset.
        Export = await HvsRun.RunAsync("export", "--url", Silo.BaseAddress.ToString(), "--key", SiloProcess.AdminKey,
            "--from", Start.ToString("O", CultureInfo.InvariantCulture), "--to", Start.AddMinutes(30).ToString("O", CultureInfo.InvariantCulture),
            "--rack", Rack, "--out", ExportFolder, "--json");
        Assert.True(Export.ExitCode == ExitCodes.Ok, Export.ToString());

        // 4. Train on the mix, compared with the model in use.
        var sim = await simulated;
        (TrainingExitCode, TrainingOutput) = await RunAsync("/usr/bin/python3",
            ["-m", "hvs_training", "train", "--data", sim, "--site", ExportFolder, "--quick", "--out", Path.Combine(_folder, "runs"), "--active-model", ActiveModel],
            Path.GetDirectoryName(RepositoryFiles.Find("src/training/README.md"))!);
        RunFolder = TrainingOutput.TrimEnd().Split('\n')[^1].Trim();
    }

    public Task DisposeAsync()
    {
        Silo?.Dispose();
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_silo, recursive: true);
        return Task.CompletedTask;
    }

    private string SimulatorDataset()
    {
        if (Environment.GetEnvironmentVariable("HVS_SMALL_DATASET") is { Length: > 0 } given && File.Exists(Path.Combine(given, DatasetWriter.ManifestFileName)))
        {
            return given;
        }

        var folder = Path.Combine(_folder, "sim");
        DatasetWriter.Write(new DatasetOptions { OutputDirectory = folder, Scenarios = ScenarioSelection.Small.Specs(), Selection = ScenarioSelection.Small.ToString() });
        return folder;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
