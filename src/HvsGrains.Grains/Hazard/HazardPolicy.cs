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
    private static readonly RuleText MaxSurfaceText = new(HazardRuleNames.MaxSurfaceTemp, "max surface", "°C");
    private static readonly RuleText TempRateText = new(HazardRuleNames.TempRate, "max surface rising", "°C/min");
    private static readonly RuleText CoText = new(HazardRuleNames.Co, "CO", "ppm");
    private static readonly RuleText H2Text = new(HazardRuleNames.H2, "H2", "ppm");
    private static readonly RuleText VocText = new(HazardRuleNames.Voc, "VOC", "ppm");
    private static readonly RuleText VoltageDropText = new(HazardRuleNames.VoltageDrop, "voltage drop in 1 min", "%");
    private static readonly RuleText ModelText = new(HazardRuleNames.Model, "model runaway probability", "");

    /// <summary>Lower-case level names for reasons, indexed by <see cref="HazardLevel"/>.</summary>
    private static readonly string[] LevelNames = ["normal", "watch", "warning", "critical"];

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

    public HazardDecision Evaluate(FeatureVector features, double? modelProbability, ModelThresholds? modelThresholds, HazardMemory previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Decide(HazardMeasures.From(features), modelProbability, modelThresholds, previous, now);
    }

    public HazardDecision Evaluate(HazardInputs inputs, double? modelProbability, ModelThresholds? modelThresholds, HazardMemory previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Decide(HazardMeasures.From(inputs), modelProbability, modelThresholds, previous, now);
    }

    /// <summary>
    /// Runs every rule in a fixed order. Runs per reading, so it allocates only what changed: a calm
    /// module (no latch, memory as before) gets a new assessment and decision and nothing else.
    /// </summary>
    private HazardDecision Decide(in HazardMeasures inputs, double? modelProbability, ModelThresholds? modelThresholds, HazardMemory previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var probability = modelProbability is { } p && double.IsFinite(p) ? Math.Clamp(p, 0, 1) : (double?)null;

        var modelLevels = ModelLevels(modelThresholds);
        var (confirmedModelLevel, recentModelLevels) = ConfirmModelLevel(previous.RecentModelLevels, probability is { } pr ? modelLevels.LevelOf(pr) : HazardLevel.Normal);

        var uncappedModelLevel = confirmedModelLevel;
        var maxSurface = _options.MaxSurfaceTempC.Cutoffs;
        var tempRate = _options.TempRateCPerMin.Cutoffs;
        var co = _options.CoPpm.Cutoffs;
        var h2 = _options.H2Ppm.Cutoffs;
        var voc = _options.VocPpm.Cutoffs;
        var voltageDrop = _options.VoltageDropPercent1m.Cutoffs;
        var voltageDropPercent = VoltageDropPercent(inputs);

        // Gas a module merely shares with its rack is the rack's signal: the rack grain judges it (RackEventAssessor).
        var (coPpm, h2Ppm, vocPpm) = _options.ModuleGasRules ? (inputs.CoPpm, inputs.H2Ppm, inputs.VocPpm) : ((double?)null, (double?)null, (double?)null);
        if (_options.ModelNeedsCorroboration
            && !(ReachesWatch(inputs.MaxSurfaceTempC, maxSurface) || ReachesWatch(inputs.TempRateCPerMin, tempRate) || ReachesWatch(coPpm, co)
                || ReachesWatch(h2Ppm, h2) || ReachesWatch(vocPpm, voc) || ReachesWatch(voltageDropPercent, voltageDrop)))
        {
            confirmedModelLevel = (HazardLevel)Math.Min((int)confirmedModelLevel, (int)HazardLevel.Watch);
        }

        var latches = new LatchList(previous);
        latches.Add(Rule(MaxSurfaceText, inputs.MaxSurfaceTempC, maxSurface, previous, now, HazardLevel.Critical));
        latches.Add(Rule(TempRateText, inputs.TempRateCPerMin, tempRate, previous, now, HazardLevel.Critical));
        latches.Add(Rule(CoText, coPpm, co, previous, now, HazardLevel.Critical));
        latches.Add(Rule(H2Text, h2Ppm, h2, previous, now, HazardLevel.Critical));
        latches.Add(Rule(VocText, vocPpm, voc, previous, now, HazardLevel.Critical));
        latches.Add(Rule(VoltageDropText, voltageDropPercent, voltageDrop, previous, now, HazardLevel.Critical));
        latches.Add(Rule(ModelText, probability, modelLevels, previous, now, confirmedModelLevel));
        latches.Add(VoltageFloor(inputs, previous, now));

        var (level, latched, reasons) = latches.Finish();
        var memory = level == previous.Level && ReferenceEquals(latched, previous.Latches) && ReferenceEquals(recentModelLevels, previous.RecentModelLevels)
            ? previous
            : new HazardMemory { Level = level, Latches = latched, RecentModelLevels = recentModelLevels };
        return new HazardDecision(new HazardAssessment(level, reasons, now, probability) { ModelLevel = uncappedModelLevel }, memory);
    }

    private static bool ReachesWatch(double? value, in LevelCutoffs thresholds) => value is { } v && thresholds.LevelOf(v) >= HazardLevel.Watch;

    /// <summary>
    /// The model's level counts once it has held it for the confirmation readings: the lowest of the
    /// last that many. Also the levels to remember (one fewer), the previous list itself when unchanged.
    /// </summary>
    private (HazardLevel Confirmed, IReadOnlyList<HazardLevel> Recent) ConfirmModelLevel(IReadOnlyList<HazardLevel> previous, HazardLevel latest)
    {
        var window = _options.ModelConfirmationReadings;
        var count = previous.Count;
        var confirmed = HazardLevel.Normal;
        if (count + 1 >= window)
        {
            confirmed = latest;
            for (var i = count - (window - 1); i < count; i++)
            {
                confirmed = previous[i] < confirmed ? previous[i] : confirmed;
            }
        }

        // The newest window - 1 of previous + latest.
        var keep = Math.Min(count + 1, window - 1);
        var unchanged = keep == count;
        for (var i = 0; unchanged && i < keep; i++)
        {
            unchanged = previous[i] == (i + 1 < keep ? previous[count - keep + 1 + i] : latest);
        }

        if (unchanged)
        {
            return (confirmed, previous);
        }

        if (keep == 0)
        {
            return (confirmed, []);
        }

        var recent = new HazardLevel[keep];
        for (var i = 0; i < keep - 1; i++)
        {
            recent[i] = previous[count - keep + 1 + i];
        }

        recent[keep - 1] = latest;
        return (confirmed, recent);
    }

    /// <summary>One rule's latch and its reason; none while the rule is Normal.</summary>
    private (RuleLatch? Latch, HazardReason? Reason) Rule(RuleText text, double? value, in LevelCutoffs thresholds, HazardMemory previous, DateTimeOffset now, HazardLevel riseCap)
    {
        var latch = Step(previous.Find(text.Rule), text.Rule, value, thresholds, now, riseCap);
        return latch is null ? (null, null) : (latch, new HazardReason(text.Rule, Describe(text, value, thresholds, latch), latch.Level));
    }

    /// <summary>
    /// One rule's hysteresis: rise at once; hold while the measure is within ClearMargin below the
    /// latched level's threshold; drop (to what the measure still sustains) only after it has
    /// stayed below that for the hold time. A missing measure counts as cleared, so a level set by
    /// a model that is later unloaded still expires, but only after the hold time. Null means Normal.
    /// </summary>
    private RuleLatch? Step(RuleLatch? previous, string rule, double? value, in LevelCutoffs thresholds, DateTimeOffset now, HazardLevel riseCap = HazardLevel.Critical)
    {
        var held = previous?.Level ?? HazardLevel.Normal;
        var raw = value is { } v ? thresholds.LevelOf(v) : HazardLevel.Normal;
        raw = raw > held ? (HazardLevel)Math.Max((int)held, Math.Min((int)raw, (int)riseCap)) : raw;
        if (raw >= held)
        {
            return Latch(previous, rule, raw, null);
        }

        var sustained = value is { } s ? thresholds.LevelOf(s, thresholds.ClearMargin) : HazardLevel.Normal;
        if (sustained >= held)
        {
            return Latch(previous, rule, held, null);
        }

        var since = previous?.ClearingSince ?? now;
        return now - since >= _options.ClearHoldTime
            ? Latch(previous, rule, sustained, null)
            : Latch(previous, rule, held, since);
    }

    /// <summary>Null for Normal (not remembered); else the previous latch when it already says this (latches are immutable).</summary>
    private static RuleLatch? Latch(RuleLatch? previous, string rule, HazardLevel level, DateTimeOffset? clearingSince)
    {
        if (level == HazardLevel.Normal)
        {
            return null;
        }

        return previous is not null && previous.Level == level && Identical(previous.ClearingSince, clearingSince)
            ? previous
            : new RuleLatch(rule, level, clearingSince);
    }

    /// <summary>Same instant and offset: DateTimeOffset's == ignores the offset, which the reason text shows.</summary>
    private static bool Identical(DateTimeOffset? a, DateTimeOffset? b) => a is { } x ? b is { } y && x.EqualsExact(y) : b is null;

    private (RuleLatch? Latch, HazardReason? Reason) VoltageFloor(in HazardMeasures inputs, HazardMemory previous, DateTimeOffset now)
    {
        if (_options.VoltageFloorV is not { } floor)
        {
            return (null, null);
        }

        // A boolean cause expressed as a 0/1 measure so it shares the hysteresis of the other rules.
        var below = inputs.VoltageV is { } v && inputs.SocPercent is { } soc && v < floor && soc >= _options.VoltageFloorMinSocPercent;
        var thresholds = _options.VoltageFloorLevel switch
        {
            HazardLevel.Watch => new LevelCutoffs(1, null, null, 0.5),
            HazardLevel.Warning => new LevelCutoffs(null, 1, null, 0.5),
            _ => new LevelCutoffs(null, null, 1, 0.5),
        };

        var latch = Step(previous.Find(HazardRuleNames.VoltageFloor), HazardRuleNames.VoltageFloor, below ? 1 : 0, thresholds, now);
        if (latch is null)
        {
            return (null, null);
        }

        var detail = below
            ? string.Create(CultureInfo.InvariantCulture, $"voltage {inputs.VoltageV:0.##} V below floor {floor:0.##} V at SoC {inputs.SocPercent:0.#} %")
            : string.Create(CultureInfo.InvariantCulture, $"voltage was below floor {floor:0.##} V; holding until recovered for {_options.ClearHoldTime.TotalMinutes:0.#} min");
        return (latch, new HazardReason(HazardRuleNames.VoltageFloor, detail, latch.Level));
    }

    private LevelCutoffs ModelLevels(ModelThresholds? model) => model is null
        ? _options.ModelProbability.Cutoffs
        : new LevelCutoffs(model.Watch, model.Warning, model.Critical, _options.ModelProbability.ClearMargin);

    private static double? VoltageDropPercent(in HazardMeasures inputs)
    {
        if (inputs.VoltageV is not { } v || inputs.VoltageDrop1mV is not { } drop)
        {
            return null;
        }

        var start = v + drop;
        return start > 0 ? drop / start * 100 : null;
    }

    private string Describe(RuleText text, double? value, in LevelCutoffs thresholds, RuleLatch latch)
    {
        var level = LevelNames[(int)latch.Level];
        var threshold = thresholds.ThresholdOf(latch.Level) ?? double.NaN;
        var (label, u) = (text.Label, text.UnitSuffix);
        if (value is not { } v)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{label} no longer reported; holding {level} for {_options.ClearHoldTime.TotalMinutes:0.#} min");
        }

        if (v >= threshold)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{label} {v:0.##}{u} ≥ {level} {threshold:0.##}{u}");
        }

        var clear = threshold - thresholds.ClearMargin;
        return latch.ClearingSince is null
            ? string.Create(CultureInfo.InvariantCulture, $"{label} {v:0.##}{u}, holding {level} until below {clear:0.##}{u}")
            : string.Create(CultureInfo.InvariantCulture, $"{label} {v:0.##}{u} below {clear:0.##}{u} since {latch.ClearingSince:HH:mm:ss}; holding {level} for {_options.ClearHoldTime.TotalMinutes:0.#} min");
    }

    /// <summary>A rule's name and how its reason names the measure.</summary>
    private sealed record RuleText(string Rule, string Label, string Unit)
    {
        public string UnitSuffix { get; } = Unit.Length == 0 ? "" : " " + Unit;
    }
}
