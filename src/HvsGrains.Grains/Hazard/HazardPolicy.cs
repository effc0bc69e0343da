using System.Globalization;
using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Hazard;

/// <summary>
/// Turns a module's figures and (optionally) the model's runaway probability into a hazard level
/// with reasons. Pure: the caller keeps the returned <see cref="HazardMemory"/> and passes it back.
/// Each rule latches on its own with hysteresis; the module level is the highest latched rule,
/// so a model that is missing or unsure never lowers what the physics rules say.
/// </summary>
public sealed class HazardPolicy
{
    private readonly HazardRuleOptions _options;

    public HazardPolicy(HazardRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid hazard rule options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
    }

    public HazardDecision Evaluate(FeatureVector features, double? modelProbability, ModelThresholds? modelThresholds, HazardMemory previous, DateTimeOffset now) =>
        Evaluate(HazardInputs.FromFeatures(features), modelProbability, modelThresholds, previous, now);

    public HazardDecision Evaluate(HazardInputs inputs, double? modelProbability, ModelThresholds? modelThresholds, HazardMemory previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(previous);
        var probability = modelProbability is { } p && double.IsFinite(p) ? Math.Clamp(p, 0, 1) : (double?)null;

        var modelLevels = ModelLevels(modelThresholds);
        var recentModelLevels = previous.RecentModelLevels
            .Append(probability is { } pr ? modelLevels.LevelOf(pr) : HazardLevel.Normal)
            .TakeLast(_options.ModelConfirmationReadings)
            .ToList();
        // The model raises a level only once it has held it for the confirmation readings.
        var confirmedModelLevel = recentModelLevels.Count < _options.ModelConfirmationReadings ? HazardLevel.Normal : recentModelLevels.Min();

        var rules = new List<(string Rule, string Label, string Unit, double? Value, LevelThresholds Thresholds)>
        {
            (HazardRuleNames.MaxSurfaceTemp, "max surface", "°C", inputs.MaxSurfaceTempC, _options.MaxSurfaceTempC),
            (HazardRuleNames.TempRate, "max surface rising", "°C/min", inputs.TempRateCPerMin, _options.TempRateCPerMin),
            (HazardRuleNames.Co, "CO", "ppm", inputs.CoPpm, _options.CoPpm),
            (HazardRuleNames.H2, "H2", "ppm", inputs.H2Ppm, _options.H2Ppm),
            (HazardRuleNames.Voc, "VOC", "ppm", inputs.VocPpm, _options.VocPpm),
            (HazardRuleNames.VoltageDrop, "voltage drop in 1 min", "%", VoltageDropPercent(inputs), _options.VoltageDropPercent1m),
            (HazardRuleNames.Model, "model runaway probability", "", probability, modelLevels),
        };

        var latches = new List<RuleLatch>();
        var reasons = new List<HazardReason>();
        if (_options.ModelNeedsCorroboration && !rules.Exists(r => r.Rule != HazardRuleNames.Model && r.Value is { } v && r.Thresholds.LevelOf(v) >= HazardLevel.Watch))
        {
            confirmedModelLevel = (HazardLevel)Math.Min((int)confirmedModelLevel, (int)HazardLevel.Watch);
        }

        foreach (var (rule, label, unit, value, thresholds) in rules)
        {
            var latch = Step(previous.Find(rule), rule, value, thresholds, now, rule == HazardRuleNames.Model ? confirmedModelLevel : HazardLevel.Critical);
            if (latch.Level > HazardLevel.Normal)
            {
                latches.Add(latch);
                reasons.Add(new HazardReason(rule, Describe(label, unit, value, thresholds, latch), latch.Level));
            }
        }

        EvaluateVoltageFloor(inputs, previous, now, latches, reasons);

        var level = latches.Count == 0 ? HazardLevel.Normal : latches.Max(l => l.Level);
        var ordered = reasons.OrderByDescending(r => r.Level).ToList();
        return new HazardDecision(
            new HazardAssessment(level, ordered, now, probability),
            new HazardMemory { Level = level, Latches = latches, RecentModelLevels = recentModelLevels.TakeLast(_options.ModelConfirmationReadings - 1).ToList() });
    }

    /// <summary>
    /// One rule's hysteresis: rise at once; hold while the measure is within ClearMargin below the
    /// latched level's threshold; drop (to what the measure still sustains) only after it has
    /// stayed below that for the hold time. A missing measure counts as cleared, so a level set by
    /// a model that is later unloaded still expires, but only after the hold time.
    /// </summary>
    private RuleLatch Step(RuleLatch? previous, string rule, double? value, LevelThresholds thresholds, DateTimeOffset now, HazardLevel riseCap = HazardLevel.Critical)
    {
        var held = previous?.Level ?? HazardLevel.Normal;
        var raw = value is { } v ? thresholds.LevelOf(v) : HazardLevel.Normal;
        raw = raw > held ? (HazardLevel)Math.Max((int)held, Math.Min((int)raw, (int)riseCap)) : raw;
        if (raw >= held)
        {
            return new RuleLatch(rule, raw, null);
        }

        var sustained = value is { } s ? thresholds.LevelOf(s, thresholds.ClearMargin) : HazardLevel.Normal;
        if (sustained >= held)
        {
            return new RuleLatch(rule, held, null);
        }

        var since = previous?.ClearingSince ?? now;
        return now - since >= _options.ClearHoldTime
            ? new RuleLatch(rule, sustained, null)
            : new RuleLatch(rule, held, since);
    }

    private void EvaluateVoltageFloor(HazardInputs inputs, HazardMemory previous, DateTimeOffset now, List<RuleLatch> latches, List<HazardReason> reasons)
    {
        if (_options.VoltageFloorV is not { } floor)
        {
            return;
        }

        // A boolean cause expressed as a 0/1 measure so it shares the hysteresis of the other rules.
        var below = inputs.VoltageV is { } v && inputs.SocPercent is { } soc && v < floor && soc >= _options.VoltageFloorMinSocPercent;
        var thresholds = new LevelThresholds { ClearMargin = 0.5 };
        switch (_options.VoltageFloorLevel)
        {
            case HazardLevel.Watch: thresholds.Watch = 1; break;
            case HazardLevel.Warning: thresholds.Warning = 1; break;
            default: thresholds.Critical = 1; break;
        }

        var latch = Step(previous.Find(HazardRuleNames.VoltageFloor), HazardRuleNames.VoltageFloor, below ? 1 : 0, thresholds, now);
        if (latch.Level > HazardLevel.Normal)
        {
            latches.Add(latch);
            var detail = below
                ? Invariant($"voltage {inputs.VoltageV:0.##} V below floor {floor:0.##} V at SoC {inputs.SocPercent:0.#} %")
                : Invariant($"voltage was below floor {floor:0.##} V; holding until recovered for {_options.ClearHoldTime.TotalMinutes:0.#} min");
            reasons.Add(new HazardReason(HazardRuleNames.VoltageFloor, detail, latch.Level));
        }
    }

    private LevelThresholds ModelLevels(ModelThresholds? model) => model is null
        ? _options.ModelProbability
        : new LevelThresholds { Watch = model.Watch, Warning = model.Warning, Critical = model.Critical, ClearMargin = _options.ModelProbability.ClearMargin };

    private static double? VoltageDropPercent(HazardInputs inputs)
    {
        if (inputs.VoltageV is not { } v || inputs.VoltageDrop1mV is not { } drop)
        {
            return null;
        }

        var start = v + drop;
        return start > 0 ? drop / start * 100 : null;
    }

    private string Describe(string label, string unit, double? value, LevelThresholds thresholds, RuleLatch latch)
    {
        var level = latch.Level.ToString().ToLowerInvariant();
        var threshold = thresholds.ThresholdOf(latch.Level) ?? double.NaN;
        var u = unit.Length == 0 ? "" : " " + unit;
        if (value is not { } v)
        {
            return Invariant($"{label} no longer reported; holding {level} for {_options.ClearHoldTime.TotalMinutes:0.#} min");
        }

        if (v >= threshold)
        {
            return Invariant($"{label} {v:0.##}{u} ≥ {level} {threshold:0.##}{u}");
        }

        var clear = threshold - thresholds.ClearMargin;
        return latch.ClearingSince is null
            ? Invariant($"{label} {v:0.##}{u}, holding {level} until below {clear:0.##}{u}")
            : Invariant($"{label} {v:0.##}{u} below {clear:0.##}{u} since {latch.ClearingSince:HH:mm:ss}; holding {level} for {_options.ClearHoldTime.TotalMinutes:0.#} min");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
