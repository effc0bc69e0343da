using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

public sealed class DatasetWriterTests : IDisposable
{
    private readonly List<string> _dirs = [];

    public void Dispose()
    {
        foreach (string dir in _dirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private string NewDir()
    {
        string dir = DatasetTestSupport.NewDirectory();
        _dirs.Add(dir);
        return dir;
    }

    [Fact]
    public void Columns_are_the_seed_columns_then_scenario_columns_then_peer_figures_then_the_feature_names()
    {
        string dir = NewDir();
        DatasetWriter.Write(DatasetTestSupport.Options(dir));
        (string[] header, List<string[]> rows) = DatasetTestSupport.ReadCsv(Path.Combine(dir, DatasetWriter.CsvFileName));

        string[] expectedStart =
        [
            "Timestamp", "Module_ID", "Rack_ID", "Module_Voltage_V", "Module_Current_A", "Module_SoC_percent",
            "Module_Avg_Surface_Temp_C", "Module_Max_Surface_Temp_C", "Ambient_Temp_C", "Sim_OffGas_CO_ppm_proxy",
            "Sim_OffGas_H2_ppm_proxy", "Sim_OffGas_VOC_ppm_proxy", "Hazard_Label", "Scenario_Id", "Chemistry", "Fault_Type",
            "Severity", "Is_Benign", "Is_Fault_Module", "Time_To_PNR_s",
        ];
        string[] peers = ["Peer_Max_Surface_Above_Median_C", "Peer_Rise_10m_Above_Median_C", "Peer_Voltage_Sag_Percent"];
        Assert.Equal([.. expectedStart, .. peers, .. FeatureVector.FeatureNames], header);
        Assert.Equal(DatasetWriter.Columns, header);
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
        Assert.All(rows, r => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", r[0]));

        // Missing sensor values are empty cells (the sensor-fault scenario drops whole frames).
        Assert.Contains(rows, r => r[3].Length == 0 && r[6].Length == 0);
        Assert.Contains(rows, r => r[14] == "NMC");
        Assert.Contains(rows, r => r[14] == "LFP");
    }

    [Fact]
    public void Label_is_one_exactly_from_pnr_minus_window_to_pnr_minus_guard()
    {
        var labeler = new HazardLabeler { PredictionWindow = TimeSpan.FromMinutes(15), GuardBuffer = TimeSpan.FromSeconds(45) };
        string dir = NewDir();
        DatasetManifest manifest = DatasetWriter.Write(DatasetTestSupport.Options(dir, labeler: labeler));
        (string[] header, List<string[]> rows) = DatasetTestSupport.ReadCsv(Path.Combine(dir, DatasetWriter.CsvFileName));
        int label = Array.IndexOf(header, "Hazard_Label"), ttp = Array.IndexOf(header, "Time_To_PNR_s");

        ManifestScenario fault = manifest.Scenarios[0];
        DateTimeOffset pnr = fault.PnrTimes[fault.FaultModule] ?? throw new InvalidOperationException("the hard short must reach PNR");
        int positives = 0, inWindow = 0;
        foreach (string[] r in rows)
        {
            DateTimeOffset ts = DateTimeOffset.Parse(r[0], CultureInfo.InvariantCulture);
            DateTimeOffset? modulePnr = manifest.Scenarios.Single(s => s.Id == r[13]).PnrTimes[r[1]];
            bool expected = modulePnr is { } p && ts >= p - labeler.PredictionWindow && ts <= p - labeler.GuardBuffer;
            Assert.Equal(expected ? "1" : "0", r[label]);
            if (modulePnr is { } at)
            {
                Assert.Equal((at - ts).TotalSeconds, double.Parse(r[ttp], CultureInfo.InvariantCulture), 6);
            }
            else
            {
                Assert.Equal("", r[ttp]);
            }

            positives += r[label] == "1" ? 1 : 0;
            inWindow += r[1] == fault.FaultModule && r[13] == fault.Id && ts >= pnr - labeler.PredictionWindow && ts <= pnr - labeler.GuardBuffer ? 1 : 0;
        }

        // A 10 s grid over a 14 min 15 s window: 85 or 86 samples, all labelled.
        Assert.InRange(inWindow, 85, 86);
        Assert.Equal(manifest.Positives, positives);
        Assert.True(positives >= inWindow);
        Assert.Equal(900, manifest.Label.PredictionWindowS);
        Assert.Equal(45, manifest.Label.GuardBufferS);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Features_equal_the_module_grains_feature_state_run_directly(int thin)
    {
        string dir = NewDir();
        DatasetManifest manifest = DatasetWriter.Write(DatasetTestSupport.Options(dir, thin: thin));
        (string[] header, List<string[]> rows) = DatasetTestSupport.ReadCsv(Path.Combine(dir, DatasetWriter.CsvFileName));
        int firstFeature = DatasetWriter.SeedColumns.Count + DatasetWriter.ScenarioColumns.Count + PeerComparison.FeatureNames.Count;

        // The same scenarios through ModuleFeatureState by hand: every reading, in time order.
        var expected = new Dictionary<(string Module, string Time), (SensorReading Reading, float[] Features)>();
        var runner = new ScenarioRunner(new RunnerOptions { SampleInterval = TimeSpan.FromSeconds(10) });
        long readings = 0;
        foreach (ScenarioSpec spec in DatasetTestSupport.Scenarios())
        {
            var states = new Dictionary<string, ModuleFeatureState>();
            foreach (ModuleSample s in runner.Run(spec))
            {
                ModuleFeatureState state = states.TryGetValue(s.ModuleId, out ModuleFeatureState? st) ? st : states[s.ModuleId] = new ModuleFeatureState(s.ModuleId);
                Assert.Equal(ApplyOutcome.Applied, state.Apply(s.Sensors));
                expected[(s.ModuleId, s.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))] = (s.Sensors, [.. state.Current!.Values]);
                readings++;
            }
        }

        Assert.Equal(readings, manifest.AppliedReadings);
        Assert.Equal(0, manifest.RejectedReadings);
        foreach (string[] r in rows)
        {
            (SensorReading reading, float[] features) = expected[(r[1], r[0])];
            for (int c = 0; c < SensorChannels.Count; c++)
            {
                Assert.Equal(reading.Get((SensorChannel)c), DatasetTestSupport.Number(r[3 + c]));
            }

            for (int f = 0; f < features.Length; f++)
            {
                Assert.Equal(features[f], float.Parse(r[firstFeature + f], CultureInfo.InvariantCulture));
            }
        }

        // Thinning keeps every row of the faulted module and every Nth of the others.
        ManifestScenario fault = manifest.Scenarios[0];
        int faultRows = rows.Count(r => r[1] == fault.FaultModule && r[13] == fault.Id);
        Assert.Equal(360, faultRows);
        Assert.Equal(faultRows, manifest.FaultModuleRows);
        string benignModule = DatasetTestSupport.Scenarios()[1].ModuleId(0);
        int benignModuleRows = rows.Count(r => r[13] == manifest.Scenarios[1].Id && r[1] == benignModule);
        Assert.Equal((240 + thin - 1) / thin, benignModuleRows);
        Assert.Equal(thin, manifest.Thinning.Every);
        Assert.Equal(manifest.Rows, rows.Count);
    }

    [Fact]
    public void Manifest_describes_schema_labels_scenarios_and_counts()
    {
        string dir = NewDir();
        DatasetWriter.Write(DatasetTestSupport.Options(dir));
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, DatasetWriter.ManifestFileName)));
        JsonElement m = doc.RootElement;
        (_, List<string[]> rows) = DatasetTestSupport.ReadCsv(Path.Combine(dir, DatasetWriter.CsvFileName));

        Assert.Equal(FeatureSchema.Current.Version, m.GetProperty("featureSchema").GetProperty("version").GetString());
        Assert.Equal(FeatureSchema.Current.Hash, m.GetProperty("featureSchema").GetProperty("hash").GetString());
        Assert.Equal(FeatureVector.FeatureNames, m.GetProperty("featureSchema").GetProperty("names").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(DatasetWriter.Columns, m.GetProperty("columns").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(1200, m.GetProperty("label").GetProperty("predictionWindowS").GetDouble());
        Assert.Equal(30, m.GetProperty("label").GetProperty("guardBufferS").GetDouble());
        Assert.Equal(1, m.GetProperty("thinning").GetProperty("every").GetInt32());
        Assert.Equal(DatasetManifest.CurrentGeneratorVersion, m.GetProperty("generatorVersion").GetString());
        Assert.Equal("hvs-sim dataset --test", m.GetProperty("commandLine").GetString());
        Assert.Equal(rows.Count, m.GetProperty("rows").GetInt64());
        Assert.Equal(rows.Count(r => r[12] == "1"), m.GetProperty("positives").GetInt64());
        Assert.True(m.GetProperty("positives").GetInt64() > 0);

        JsonElement[] scenarios = [.. m.GetProperty("scenarios").EnumerateArray()];
        IReadOnlyList<ScenarioSpec> specs = DatasetTestSupport.Scenarios();
        Assert.Equal(specs.Select(s => s.Id), scenarios.Select(s => s.GetProperty("id").GetString()));
        ScenarioOutcome outcome = new ScenarioRunner().Simulate(specs[0]);
        JsonElement first = scenarios[0];
        Assert.Equal("NMC", first.GetProperty("chemistry").GetString());
        Assert.Equal("InternalShort", first.GetProperty("fault").GetString());
        Assert.Equal(5, first.GetProperty("severity").GetInt32());
        Assert.Equal(specs[0].Seed, first.GetProperty("seed").GetUInt64());
        Assert.Equal(3, first.GetProperty("moduleCount").GetInt32());
        JsonElement pnrTimes = first.GetProperty("pnrTimes");
        for (int i = 0; i < 3; i++)
        {
            JsonElement p = pnrTimes.GetProperty(specs[0].ModuleId(i));
            ModuleOutcome mo = outcome.Modules[i];
            if (mo.Events.PnrReached)
            {
                Assert.Equal(specs[0].StartTime.AddSeconds(mo.Events.PnrS), p.GetDateTimeOffset());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, p.ValueKind);
            }
        }

        Assert.True(outcome.Modules[specs[0].FaultModule].Events.PnrReached);
        Assert.All(scenarios.Skip(1), s => Assert.All(s.GetProperty("pnrTimes").EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind)));
    }

    [Fact]
    public void Same_seed_gives_byte_identical_files_and_gzip_holds_the_same_bytes()
    {
        string a = NewDir(), b = NewDir(), z = NewDir();
        DatasetWriter.Write(DatasetTestSupport.Options(a));
        DatasetWriter.Write(DatasetTestSupport.Options(b));
        DatasetWriter.Write(DatasetTestSupport.Options(z, gzip: true));
        byte[] csv = File.ReadAllBytes(Path.Combine(a, DatasetWriter.CsvFileName));
        Assert.Equal(csv, File.ReadAllBytes(Path.Combine(b, DatasetWriter.CsvFileName)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, DatasetWriter.ManifestFileName)), File.ReadAllBytes(Path.Combine(b, DatasetWriter.ManifestFileName)));

        using var gz = new GZipStream(File.OpenRead(Path.Combine(z, DatasetWriter.CsvFileName + ".gz")), CompressionMode.Decompress);
        using var unzipped = new MemoryStream();
        gz.CopyTo(unzipped);
        Assert.Equal(csv, unzipped.ToArray());
    }

    [Fact]
    public void Different_seed_changes_the_data()
    {
        string a = NewDir(), b = NewDir();
        DatasetWriter.Write(DatasetTestSupport.Options(a));
        DatasetWriter.Write(DatasetTestSupport.Options(b) with { Scenarios = [.. DatasetTestSupport.Scenarios().Select(s => s with { Seed = s.Seed + 100 })] });
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, DatasetWriter.CsvFileName)), File.ReadAllBytes(Path.Combine(b, DatasetWriter.CsvFileName)));
    }
}
