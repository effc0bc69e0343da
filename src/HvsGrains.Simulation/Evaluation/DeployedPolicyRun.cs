using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring.Onnx;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Evaluation;

/// <summary>What the deployed policy did in one scenario: its alarms and whether and how early it caught the runaway.</summary>
public sealed record ScenarioVerdict(
    ScenarioSpec Spec,
    DateTimeOffset? Pnr,
    DateTimeOffset? FirstAlarm,
    string? FirstAlarmModule,
    int Alarms,
    double ModuleDays,
    string? FirstAlarmText = null)
{
    /// <summary>Minutes from the fault's start to the point of no return: the most lead any detector could give.</summary>
    public double? AvailableMinutes => Pnr is { } p ? (p - Spec.StartTime - Spec.FaultStart).TotalMinutes : null;

    /// <summary>Minutes from the first alarm (Warning or higher) to the faulted module's point of no return.</summary>
    public double? LeadMinutes => Pnr is { } p && FirstAlarm is { } a && a <= p ? (p - a).TotalMinutes : null;
}

/// <summary>
/// Runs one scenario through exactly what the silo runs, with the same classes: the front door's validator,
/// each module's <see cref="ModuleFeatureState"/>, the model through ONNX Runtime, <see cref="HazardPolicy"/>
/// with its hysteresis, the module's report to its rack when due (<see cref="ModuleReport.IsDueAfter"/>),
/// and the rack's <see cref="RackEventAssessor"/> and <see cref="PropagationDetector"/>. An alarm is what the
/// warehouse raises: a rack event reaching Warning, or heat spreading to a neighbour.
/// </summary>
public sealed class DeployedPolicyRun(
    HazardPolicy policy,
    RackEventAssessor assessor,
    PropagationDetector propagation,
    OnnxHazardModelSession? model,
    ModelThresholds? thresholds,
    TimeSpan summaryInterval,
    bool moduleGasRules)
{
    private readonly ReadingValidator _validator = new();

    public ScenarioVerdict Run(ScenarioSpec spec, TimeSpan sampleInterval)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var options = new RunnerOptions { SampleInterval = sampleInterval };
        var outcome = new ScenarioRunner(options).Simulate(spec);
        var faultPnr = spec.Fault.IsBenign() ? double.NaN : outcome.Modules[spec.FaultModule].Events.PnrS;
        DateTimeOffset? pnr = double.IsNaN(faultPnr) ? null : spec.StartTime.AddSeconds(faultPnr);

        var session = new ScenarioSession(spec, options);
        int n = spec.RackSize;
        var ids = Enumerable.Range(0, n).Select(spec.ModuleId).ToArray();
        var features = ids.Select(id => new ModuleFeatureState(id, FeatureOptions.Default)).ToArray();
        var memories = Enumerable.Repeat(HazardMemory.Initial, n).ToArray();
        var sent = new ModuleReport?[n];
        var rack = new Dictionary<string, ModuleReport>(StringComparer.Ordinal);
        GasSample? rackGas = null;
        var eventMemory = RackEventMemory.None;
        bool alarmed = false, spreading = false;
        DateTimeOffset? firstAlarm = null;
        string? firstModule = null;
        string? firstText = null;
        int alarms = 0;

        int cells = session.Chemistry.CellsInSeries;
        foreach (double t in session.SampleTimes())
        {
            var ts = spec.StartTime.AddSeconds(t);
            var air = session.Rack.Air;
            var changed = false;
            if (session.ReadRack(ts) is { } rackReading && _validator.Validate(rackReading, ts).Count == 0)
            {
                var gas = new GasSample(rackReading.CoPpm, rackReading.H2Ppm, rackReading.VocPpm, ts);
                changed |= !gas.IsEmpty;
                rackGas = gas.IsEmpty ? rackGas : gas;
            }

            for (int i = 0; i < n; i++)
            {
                var reading = session.Sensors[i].Read(in session.Rack.States[i], in air, cells, t, ids[i], spec.RackId, ts);
                if (_validator.Validate(reading, ts).Count > 0 || features[i].Apply(reading) != ApplyOutcome.Applied)
                {
                    continue;
                }

                var vector = features[i].Current!;
                double? probability = model is null ? null : model.ScoreOne(vector.AsSpan());
                var decision = policy.Evaluate(vector, probability, thresholds, memories[i], ts);
                memories[i] = decision.Memory;
                var report = ModuleReport.Of(ids[i], spec.RackId, decision.Assessment, vector, reading, null, moduleGasRules);
                if (report.IsDueAfter(sent[i], summaryInterval))
                {
                    sent[i] = report;
                    rack[ids[i]] = report;
                    changed = true;
                }
            }

            if (!changed || rack.Count == 0)
            {
                continue;
            }

            var (rackEvent, memory) = assessor.Assess(rack.Values, rackGas, eventMemory, ts);
            eventMemory = memory;
            var spread = propagation.Assess(rack.Values).Active;
            var nowAlarmed = rackEvent.Level >= HazardLevel.Warning;
            if ((nowAlarmed && !alarmed) || (spread && !spreading))
            {
                alarms++;
                if (firstAlarm is null)
                {
                    firstAlarm = ts;
                    firstModule = rackEvent.SuspectModuleId;
                    firstText = nowAlarmed ? rackEvent.Summary : "propagation";
                }
            }

            (alarmed, spreading) = (nowAlarmed, spread);
        }

        return new ScenarioVerdict(spec, pnr, firstAlarm, firstModule, alarms, n * spec.Duration.TotalDays, firstText);
    }
}
