using System.Diagnostics;
using System.Text.Json;

namespace HvsGrains.Tests.Shared;

/// <summary>
/// Makes small real ONNX hazard models for tests with Debian's python3-onnx (make_hazard_model.py):
/// one tree on one feature, with the metadata keys the silo checks.
/// </summary>
public static class TestModels
{
    public static byte[] Create(IReadOnlyList<string> featureNames, string schemaHash, string version, string feature = "Module_Max_Surface_Temp_C", double threshold = 60)
    {
        var folder = Directory.CreateTempSubdirectory("hvs-model-").FullName;
        try
        {
            var names = Path.Combine(folder, "names.json");
            var output = Path.Combine(folder, "model.onnx");
            File.WriteAllText(names, JsonSerializer.Serialize(featureNames));
            var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in new[] { Script, "--names", names, "--feature", feature, "--threshold", threshold.ToString(System.Globalization.CultureInfo.InvariantCulture), "--version", version, "--schema-hash", schemaHash, "--out", output })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"make_hazard_model.py failed (is python3-onnx installed? tests/run-all.sh installs it): {errors}");
            return File.ReadAllBytes(output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Script => RepositoryFiles.Find(Path.Combine("tests", "Shared", "make_hazard_model.py"));
}
