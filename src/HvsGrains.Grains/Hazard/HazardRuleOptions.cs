namespace HvsGrains.Grains.Hazard;

/// <summary>
/// Thresholds of the deterministic safety rules, bound from configuration section
/// <see cref="SectionName"/>. Rules raise a level at once and lower it only after the measure has
/// stayed below threshold − ClearMargin for <see cref="ClearHoldTime"/>.
/// </summary>
public sealed class HazardRuleOptions
{
    public const string SectionName = "Hvs:HazardRules";

    /// <summary>Hottest surface thermistor, °C.</summary>
    public LevelThresholds MaxSurfaceTempC { get; set; } = new()
    {
        Watch = 55, // Above the 45-55 °C maximum operating temperature of Li-ion cell datasheets.
        Warning = 80, // SEI decomposition (first exothermic step) starts at ~80-90 °C.
        Critical = 120, // Venting/separator melt at 120-140 °C; the surface lags the core, whose PNR is ~140 °C.
        ClearMargin = 5, // Several times thermistor noise, so ±1 °C wobble never clears a level.
    };

    /// <summary>Rise of the hottest surface over the last minute, °C/min.</summary>
    public LevelThresholds TempRateCPerMin { get; set; } = new()
    {
        Watch = 2, // Storage duty (≤1C) heats modules well under 1 °C/min; 2 stays above 20 s-span sensor noise.
        Warning = 5, // No benign process (HVAC loss heats the room at ~0.1 °C/min) heats a surface this fast.
        Critical = 10, // Self-heating accelerates from 0.02 °C/min (ARC onset) past 0.5 °C/s (runaway); alarm well before.
        ClearMargin = 1,
    };

    /// <summary>Carbon monoxide near the module, ppm.</summary>
    public LevelThresholds CoPpm { get; set; } = new()
    {
        Watch = 25, // ACGIH TLV-TWA 25 ppm: above clean warehouse air and forklift background.
        Warning = 50, // OSHA PEL 50 ppm; the usual low alarm of fixed CO detectors.
        Critical = 200, // NIOSH ceiling 200 ppm; vented electrolyte combustion products at this level mean venting.
        ClearMargin = 10,
    };

    /// <summary>Hydrogen near the module, ppm.</summary>
    public LevelThresholds H2Ppm { get; set; } = new()
    {
        Watch = 10, // Background air is ~0.5 ppm; DNV-GL tests detected H2 before thermal runaway.
        Warning = 50, // Clear off-gassing (cell vent) rather than sensor drift.
        Critical = 400, // 1 % of the 4 % LEL; off-gas detection standards act well below the 25 % LFL of NFPA 855.
        ClearMargin = 5,
    };

    /// <summary>Volatile organic compounds (electrolyte solvent vapour), ppm.</summary>
    public LevelThresholds VocPpm { get; set; } = new()
    {
        Watch = 5, // Off-gas monitors alarm on single-digit ppm of carbonate solvent vapour (first vent).
        Warning = 20, // Sustained electrolyte leak/vent.
        Critical = 100, // Heavy venting; runaway usually follows within minutes.
        ClearMargin = 2,
    };

    /// <summary>Module voltage lost over the last minute, as % of the voltage at the start of the minute.</summary>
    public LevelThresholds VoltageDropPercent1m { get; set; } = new()
    {
        Watch = 3, // About half a cell of a 16s module: an internal short starting.
        Warning = 6, // About one cell of a 16s module shorted.
        Critical = 12, // Several cells gone: separator collapse.
        ClearMargin = 1,
    };

    /// <summary>Module voltage floor, V; null disables the rule because it depends on the module design.</summary>
    public double? VoltageFloorV { get; set; }

    /// <summary>The floor rule fires only while the BMS says SoC is at least this: a low voltage at high SoC is a short, not a discharge.</summary>
    public double VoltageFloorMinSocPercent { get; set; } = 20;

    /// <summary>Level of the floor rule: a shorted module needs attention, but temperature rules grade the urgency.</summary>
    public HazardLevel VoltageFloorLevel { get; set; } = HazardLevel.Warning;

    /// <summary>Model runaway probability; used when the model ships no thresholds of its own. ClearMargin applies to all models.</summary>
    public LevelThresholds ModelProbability { get; set; } = new()
    {
        Watch = 0.5,
        Warning = 0.7,
        Critical = 0.9,
        ClearMargin = 0.1, // Probabilities jitter reading to reading; 0.1 keeps levels from flapping.
    };

    /// <summary>
    /// Readings in a row the model must hold a level before it raises it. The training pipeline's
    /// held-out look-alikes gave 8.9 false alarms per 1,000 module-days on the first reading and 0
    /// with 3 in a row, for about 20 s of lead time at 10 s sampling (src/training report).
    /// </summary>
    public int ModelConfirmationReadings { get; set; } = 3;

    /// <summary>
    /// When true the model alone raises at most Watch; above that it needs a physical rule at Watch
    /// or higher beside it. Replaying unseen high-load look-alikes, the bundled model held 0.9 for
    /// minutes with every physical measure normal (tests/HvsGrains.Silo.Tests/Replay); a warehouse
    /// alarm should rest on something a sensor shows, while Watch still flags the model's concern.
    /// </summary>
    public bool ModelNeedsCorroboration { get; set; } = true;

    /// <summary>
    /// True where every module has gas sensors of its own. False (the default) for the usual rack or
    /// enclosure detectors: a module's readings then carry the rack's gas, which no module level may rest on;
    /// the rack grain judges gas as one signal of the rack (src/HvsGrains.Grains/Racks/RackEventAssessor).
    /// </summary>
    public bool ModuleGasRules { get; set; }

    /// <summary>How long a cause must stay cleared before its level drops: two minutes outlasts sensor dropouts and noise bursts.</summary>
    public TimeSpan ClearHoldTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Configuration errors, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(MaxSurfaceTempC?.Validate(nameof(MaxSurfaceTempC)) ?? [$"{nameof(MaxSurfaceTempC)} is missing."]);
        errors.AddRange(TempRateCPerMin?.Validate(nameof(TempRateCPerMin)) ?? [$"{nameof(TempRateCPerMin)} is missing."]);
        errors.AddRange(CoPpm?.Validate(nameof(CoPpm)) ?? [$"{nameof(CoPpm)} is missing."]);
        errors.AddRange(H2Ppm?.Validate(nameof(H2Ppm)) ?? [$"{nameof(H2Ppm)} is missing."]);
        errors.AddRange(VocPpm?.Validate(nameof(VocPpm)) ?? [$"{nameof(VocPpm)} is missing."]);
        errors.AddRange(VoltageDropPercent1m?.Validate(nameof(VoltageDropPercent1m)) ?? [$"{nameof(VoltageDropPercent1m)} is missing."]);
        errors.AddRange(ModelProbability?.Validate(nameof(ModelProbability)) ?? [$"{nameof(ModelProbability)} is missing."]);
        if (ModelConfirmationReadings < 1)
        {
            errors.Add($"{nameof(ModelConfirmationReadings)} must be at least 1.");
        }

        if (ClearHoldTime < TimeSpan.Zero)
        {
            errors.Add($"{nameof(ClearHoldTime)} must not be negative.");
        }

        if (VoltageFloorLevel == HazardLevel.Normal || !Enum.IsDefined(VoltageFloorLevel))
        {
            errors.Add($"{nameof(VoltageFloorLevel)} must be Watch, Warning or Critical.");
        }

        return errors;
    }
}
