using System.Globalization;
using HvsGrains.Simulation.Dataset;

namespace HvsGrains.Cli.Tests;

/// <summary>`hvs replay`: a simulator dataset posted in batches lands in the modules' history; rejected rows are named.</summary>
[Collection(CliSiloCollection.Name)]
public sealed class ReplayTests(CliSilo cluster) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hvs-cli-replay-").FullName;

    [Fact]
    public async Task A_simulator_dataset_is_replayed_in_batches_into_the_modules_history_and_a_second_replay_is_all_duplicates()
    {
        // One short benign scenario (one rack of modules, a few minutes of readings): the simulator's own CSV.
        var manifest = DatasetWriter.Write(new DatasetOptions
        {
            OutputDirectory = _folder,
            Scenarios = ScenarioSelection.Parse("faults:0,benign:1,benign-hours:0.05").Specs(),
        });
        var csv = Path.Combine(_folder, manifest.DataFile);
        var rows = File.ReadLines(csv).Skip(1).Select(line => line.Split(',')).ToList();
        var module = rows[0][1];
        var moduleRows = rows.Where(r => r[1] == module).Select(r => r[0]).ToList();
        Assert.True(rows.Count > 60, $"the dataset has only {rows.Count} rows");

        var replay = await HvsRun.RunAsync("replay", csv, "--url", cluster.Silo.BaseAddress.ToString(), "--key", SiloProcess.IngestKey, "--batch-size", "50", "--json");

        Assert.True(replay.ExitCode == ExitCodes.Ok, replay.ToString());
        Assert.Equal(rows.Count, replay.Json.GetProperty("rows").GetInt32());
        Assert.Equal(rows.Count, replay.Json.GetProperty("accepted").GetInt32());
        Assert.Equal(0, replay.Json.GetProperty("rejectedRows").GetInt32());
        var progress = replay.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((rows.Count + 49) / 50, progress.Length);
        Assert.All(progress, line => Assert.StartsWith("[replay] ", line, StringComparison.Ordinal));
        Assert.StartsWith($"[replay] {rows.Count:N0}/{rows.Count:N0} rows (100%): {rows.Count:N0} accepted", progress[^1], StringComparison.Ordinal);

        var from = DateTimeOffset.Parse(moduleRows[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddSeconds(-1);
        var to = DateTimeOffset.Parse(moduleRows[^1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).AddSeconds(1);
        var history = await cluster.GetJsonAsync($"/api/v1/modules/{module}/readings?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");
        Assert.Equal(moduleRows.Count, history.GetProperty("readings").GetArrayLength());

        var again = await HvsRun.RunAsync("replay", csv, "--url", cluster.Silo.BaseAddress.ToString(), "--key", SiloProcess.IngestKey, "--batch-size", "500");
        Assert.True(again.ExitCode == ExitCodes.Ok, again.ToString());
        Assert.StartsWith($"Replayed {rows.Count:N0} rows of {manifest.DataFile}: 0 accepted, {rows.Count:N0} duplicates", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_rows_are_reported_with_row_line_field_and_reason_and_the_good_rows_are_kept()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        var csv = Path.Combine(_folder, "mixed.csv");
        await File.WriteAllLinesAsync(csv,
        [
            "Timestamp,Module_ID,Rack_ID,Module_Max_Surface_Temp_C",
            $"{at:yyyy-MM-dd HH:mm:ss},CliReplay_Module01,CliReplay,30.5",
            "",
            "yesterday-ish,CliReplay_Module01,CliReplay,31",
            $"{at.AddSeconds(10):yyyy-MM-dd HH:mm:ss},CliReplay_Module01,CliReplay,31.5",
        ]);

        var run = await HvsRun.RunAsync("replay", csv, "--url", cluster.Silo.BaseAddress.ToString(), "--key", SiloProcess.IngestKey, "--json");

        Assert.True(run.ExitCode == ExitCodes.Refused, run.ToString());
        Assert.Equal(2, run.Json.GetProperty("accepted").GetInt32());
        Assert.Equal(1, run.Json.GetProperty("rejectedRows").GetInt32());
        var rejected = Assert.Single(run.Json.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejected.GetProperty("row").GetInt32());
        Assert.Equal(4, rejected.GetProperty("line").GetInt32());
        Assert.Equal("timestamp", rejected.GetProperty("field").GetString());

        var table = await HvsRun.RunAsync("replay", csv, "--url", cluster.Silo.BaseAddress.ToString(), "--key", SiloProcess.IngestKey);
        Assert.Contains("rejected row 1 (line 4): timestamp: ", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_a_front_door_nobody_serves_is_unreachable()
    {
        var csv = Path.Combine(_folder, "one.csv");
        await File.WriteAllLinesAsync(csv, ["Timestamp,Module_ID,Rack_ID", $"{DateTimeOffset.UtcNow.AddMinutes(-1):yyyy-MM-dd HH:mm:ss},CliKey_Module01,CliKey"]);

        var wrongKey = await HvsRun.RunAsync("replay", csv, "--url", cluster.Silo.BaseAddress.ToString(), "--key", SiloProcess.ReadKey);
        var nobody = await HvsRun.RunAsync("replay", csv, "--url", $"http://127.0.0.1:{FreeTcpPorts.Next(1)[0]}", "--key", SiloProcess.IngestKey);

        Assert.True(wrongKey.ExitCode == ExitCodes.Refused, wrongKey.ToString());
        Assert.Contains("refused the key (403)", wrongKey.Error, StringComparison.Ordinal);
        Assert.True(nobody.ExitCode == ExitCodes.Unreachable, nobody.ToString());
        Assert.Contains("does not answer", nobody.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
