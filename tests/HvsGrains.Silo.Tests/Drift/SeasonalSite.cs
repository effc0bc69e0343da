using System.Diagnostics;
using System.Globalization;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Silo.Tests.Drift;

/// <summary>
/// A simulated site in normal operation and a model whose drift baseline was learnt from it: the simulator writes a
/// dataset of the site's racks (same physics, sensors and feature code as the datasets the model is trained on), the
/// training pipeline's own `baseline` subcommand adds that baseline to a copy of the bundled model, and the readings
/// are kept to feed a silo as they were, or with the season shifted (every temperature channel +15 °C: warmer
/// supply air warms the module bodies by as much; the physics adds no heat below 40 °C).
/// </summary>
public sealed class SeasonalSite : IDisposable
{
    private static readonly string[] Temperatures = ["Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C"];
    private readonly string _folder = Directory.CreateTempSubdirectory("hvs-drift-site-").FullName;
    private readonly List<Dictionary<string, string>> _rows = [];

    public SeasonalSite()
    {
        var specs = Enumerable.Range(0, 2).Select(r => new ScenarioSpec
        {
            Id = $"site-RackS{r + 1}",
            Chemistry = Chemistry.Nmc,
            Fault = FaultType.None,
            Duration = TimeSpan.FromHours(2),
            Seed = 41 + (ulong)r,
            RackId = $"RackS{r + 1}",
            Ambient = AmbientProfileKind.Controlled,
            Load = LoadProfileKind.FrequencyRegulation,
            InitialSoc = 0.6,
        }).ToList();
        var dataset = Path.Combine(_folder, "dataset");
        DatasetWriter.Write(new DatasetOptions { OutputDirectory = dataset, Scenarios = specs });
        ModelPath = Path.Combine(_folder, "hazard-model-with-baseline.onnx");
        RunBaseline(RepositoryFiles.Find(Path.Combine("src", "HvsGrains.Silo", "BundledModel", "hazard-model.onnx")), dataset, ModelPath);

        using var reader = new StreamReader(Path.Combine(dataset, DatasetWriter.CsvFileName));
        var header = reader.ReadLine()!.Split(',');
        while (reader.ReadLine() is { } line)
        {
            var cells = line.Split(',');
            _rows.Add(Enumerable.Range(0, 12).ToDictionary(i => header[i], i => cells[i]));
        }
    }

    /// <summary>A copy of the bundled model with this site's baseline in its metadata.</summary>
    public string ModelPath { get; }

    public int ReadingCount => _rows.Count;

    /// <summary>The site's readings in time order, stamped from <paramref name="start"/>, temperatures shifted by <paramref name="shiftC"/>.</summary>
    public IEnumerable<object> Readings(DateTimeOffset start, double shiftC)
    {
        var first = DateTimeOffset.Parse(_rows[0]["Timestamp"], CultureInfo.InvariantCulture);
        foreach (var row in _rows.OrderBy(r => r["Timestamp"], StringComparer.Ordinal))
        {
            double? Value(string column) => row[column] is { Length: > 0 } text
                ? double.Parse(text, CultureInfo.InvariantCulture) + (Temperatures.Contains(column) ? shiftC : 0)
                : null;
            yield return new
            {
                moduleId = row["Module_ID"],
                rackId = row["Rack_ID"],
                timestamp = start + (DateTimeOffset.Parse(row["Timestamp"], CultureInfo.InvariantCulture) - first),
                voltageV = Value("Module_Voltage_V"),
                currentA = Value("Module_Current_A"),
                socPercent = Value("Module_SoC_percent"),
                avgSurfaceTempC = Value("Module_Avg_Surface_Temp_C"),
                maxSurfaceTempC = Value("Module_Max_Surface_Temp_C"),
                ambientTempC = Value("Ambient_Temp_C"),
                coPpm = Value("Sim_OffGas_CO_ppm_proxy"),
                h2Ppm = Value("Sim_OffGas_H2_ppm_proxy"),
                vocPpm = Value("Sim_OffGas_VOC_ppm_proxy"),
            };
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static void RunBaseline(string model, string dataset, string output)
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = Path.GetDirectoryName(RepositoryFiles.Find(Path.Combine("src", "training", "hvs_training", "baseline.py")))! + "/..",
        };
        foreach (var argument in new[] { "-m", "hvs_training", "baseline", "--model", model, "--data", dataset, "--out", output })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"hvs_training baseline failed (python3-onnx, -pandas; tests/run-all.sh installs them): {errors.Result}");
    }
}
