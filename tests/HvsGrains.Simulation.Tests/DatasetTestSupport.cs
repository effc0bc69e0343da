using System.Globalization;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

/// <summary>Small scenarios and CSV helpers for the dataset tests.</summary>
internal static class DatasetTestSupport
{
    /// <summary>A hard NMC short at 30 min of a 1 h run (PNR ~31 min), a normal LFP hour and an LFP sensor fault.</summary>
    public static IReadOnlyList<ScenarioSpec> Scenarios() =>
    [
        TestScenarios.Make(Chemistry.Nmc, FaultType.InternalShort, 5, 11, TimeSpan.FromHours(1)) with { FaultStart = TimeSpan.FromMinutes(30) },
        TestScenarios.Make(Chemistry.Lfp, FaultType.None, 1, 12, TimeSpan.FromMinutes(40)),
        TestScenarios.Make(Chemistry.Lfp, FaultType.SensorFault, 4, 13, TimeSpan.FromMinutes(40)),
    ];

    public static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hvs-dataset-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static DatasetOptions Options(string dir, int thin = 1, HazardLabeler? labeler = null, bool gzip = false) => new()
    {
        OutputDirectory = dir,
        Scenarios = Scenarios(),
        Thin = thin,
        Labeler = labeler ?? new HazardLabeler(),
        Gzip = gzip,
        CommandLine = "hvs-sim dataset --test",
        Selection = "test",
    };

    /// <summary>Header and rows of a written CSV (no quoting in these files).</summary>
    public static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        return (lines[0].Split(','), lines.Skip(1).Select(l => l.Split(',')).ToList());
    }

    public static double? Number(string cell) => cell.Length == 0 ? null : double.Parse(cell, CultureInfo.InvariantCulture);
}
