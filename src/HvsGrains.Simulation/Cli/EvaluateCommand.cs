using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Onnx;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Evaluation;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Cli;

/// <summary><c>evaluate --model FILE --out REPORT.md [--size small|medium|full] [--seed 7] [--gas shared|rack|module]</c></summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var modelPath = new Option<string?>("--model") { Description = "ONNX model to score with (omit for the rules alone)" };
        var output = new Option<string>("--out", "-o") { Description = "Markdown report to write", Required = true };
        var size = new Option<string>("--size") { Description = "Preset: small, medium, full", DefaultValueFactory = _ => "small" };
        size.AcceptOnlyFromAmong("small", "medium", "full");
        var scenarios = new Option<string?>("--scenarios") { Description = "Override the preset, e.g. faults:52,benign:48,benign-hours:24" };
        var seed = new Option<ulong>("--seed") { Description = "Catalogue seed; training uses 0, so the default 7 is held out", DefaultValueFactory = _ => 7 };
        var gas = new Option<string>("--gas") { Description = "Where the site's gas sensors are: shared (in every module reading), rack, module", DefaultValueFactory = _ => "rack" };
        gas.AcceptOnlyFromAmong("shared", "rack", "module");

        var command = new Command("evaluate", "Run the deployed policy (features, model, rules, hysteresis, rack evidence) over held-out scenarios and report it against the goals.")
        {
            modelPath, output, size, scenarios, seed, gas,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var selection = ScenarioSelection.Preset(parse.GetValue(size)!);
            if (parse.GetValue(scenarios) is { } text)
            {
                selection = ScenarioSelection.Parse(text, selection);
            }

            var sensing = parse.GetValue(gas) switch
            {
                "shared" => GasSensing.SharedInModuleReadings,
                "module" => GasSensing.PerModule,
                _ => GasSensing.PerRack,
            };
            var rules = new HazardRuleOptions { ModuleGasRules = false };
            var summaryInterval = new ModuleOptions().RackSummaryInterval;
            OnnxHazardModelSession? model = null;
            ModelThresholds? thresholds = null;
            var modelText = "no model: the rules decide alone";
            if (parse.GetValue(modelPath) is { } path)
            {
                var bytes = File.ReadAllBytes(path);
                model = new OnnxHazardModelSession(bytes);
                var info = HazardModelValidator.Validate(model, path, Convert.ToHexString(SHA256.HashData(bytes)), DateTimeOffset.UnixEpoch);
                thresholds = info.Thresholds;
                modelText = $"model {info.Version} ({Path.GetFileName(path)}, thresholds {info.Thresholds.Watch:0.###}/{info.Thresholds.Warning:0.###}/{info.Thresholds.Critical:0.###})";
            }

            using (model)
            {
                var run = new DeployedPolicyRun(new HazardPolicy(rules), new RackEventAssessor(rules, new RackEvidenceOptions()), new PropagationDetector(new PropagationOptions()), model, thresholds, summaryInterval, false);
                var verdicts = new List<ScenarioVerdict>();
                foreach (var spec in selection.Specs(parse.GetValue(seed)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var verdict = run.Run(spec with { GasSensing = sensing }, TimeSpan.FromSeconds(10));
                    verdicts.Add(verdict);
                    if (verdict.Pnr is not null)
                    {
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[evaluate] {spec.Id}: lead {verdict.LeadMinutes:0.0} min; {verdict.FirstAlarmText}"));
                    }

                    if (verdicts.Count % 10 == 0)
                    {
                        Console.Error.WriteLine($"[evaluate] {verdicts.Count} scenarios");
                    }
                }

                var setting = string.Create(CultureInfo.InvariantCulture,
                    $"Scenarios {selection} with catalogue seed {parse.GetValue(seed)} (training uses 0); gas sensors {sensing}; {modelText}; default hazard rules, rack evidence and propagation options; module summaries to the rack every {summaryInterval.TotalSeconds:0} s of sensor time or on a material change; 10 s sampling.");
                var report = EvaluationReport.Write(verdicts, CommandLine(), setting);
                File.WriteAllText(parse.GetValue(output)!, report);
                Console.WriteLine(report);
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static string CommandLine() =>
        "dotnet run -c Release --project src/HvsGrains.Simulation -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
}
