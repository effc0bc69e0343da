using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// One module's second opinion: the same <see cref="HazardPolicy"/> (rules, model thresholds, hysteresis) run again
/// with the shadow's probability and thresholds on a memory of its own, so "what the shadow would have alarmed and
/// when" is decided exactly as the active path decides. Its result goes to the silo's tally only, never into the
/// module's level, reports or state.
/// </summary>
/// <remarks>
/// The memory is kept in the module grain's activation only (not persisted): it starts from the active path's memory
/// without the model's latch and its recent levels, so the rules' latches agree from the first reading and the shadow's
/// model level must be confirmed afresh (the policy's confirmation readings). A reactivation starts it again the same way.
/// </remarks>
public sealed class ShadowJudge
{
    private readonly string _moduleId;
    private HazardMemory _memory;
    private (HazardLevel Active, HazardLevel Shadow) _last;
    private ModuleAlarmTimes _reached;

    public ShadowJudge(string moduleId, ShadowTally tally, HazardMemory active)
    {
        ArgumentNullException.ThrowIfNull(active);
        _moduleId = moduleId;
        Tally = tally;
        _memory = WithoutModel(active);
        _reached = new ModuleAlarmTimes(moduleId, null, null, null, null);
    }

    /// <summary>The trial this judge tallies for; a new trial gets a new judge.</summary>
    public ShadowTally Tally { get; }

    /// <summary>The shadow's probability at the latest reading.</summary>
    public double Probability { get; private set; }

    /// <summary>The level the shadow would have given the module at the latest reading.</summary>
    public HazardLevel Level { get; private set; }

    public void Judge(HazardPolicy policy, FeatureVector features, ShadowScore shadow, HazardAssessment active, DateTimeOffset sensorTime)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(shadow);
        ArgumentNullException.ThrowIfNull(active);
        var decision = policy.Evaluate(features, shadow.Probability, shadow.Thresholds, _memory, sensorTime);
        _memory = decision.Memory;
        (Probability, Level) = (shadow.Probability, decision.Assessment.Level);
        Tally.Count(active.Level, Level);
        var pair = (Active: active.Level, Shadow: Level);
        if (pair.Active != pair.Shadow && pair != _last)
        {
            Tally.Differ(new ShadowDifference(_moduleId, sensorTime, active.Level, active.ModelProbability, Level, Probability));
        }

        _last = pair;
        var reached = new ModuleAlarmTimes(
            _moduleId,
            _reached.ActiveWarningAt ?? (active.Level >= HazardLevel.Warning ? sensorTime : null),
            _reached.ShadowWarningAt ?? (Level >= HazardLevel.Warning ? sensorTime : null),
            _reached.ActiveCriticalAt ?? (active.Level == HazardLevel.Critical ? sensorTime : null),
            _reached.ShadowCriticalAt ?? (Level == HazardLevel.Critical ? sensorTime : null));
        if (reached != _reached)
        {
            _reached = reached;
            Tally.Reached(reached);
        }
    }

    private static HazardMemory WithoutModel(HazardMemory active) => active with
    {
        Latches = [.. active.Latches.Where(l => l.Rule != HazardRuleNames.Model)],
        RecentModelLevels = [],
        Level = active.Latches.Where(l => l.Rule != HazardRuleNames.Model).Select(l => l.Level).DefaultIfEmpty(HazardLevel.Normal).Max(),
    };
}
