namespace HvsGrains.Grains.Forecasting;

/// <summary>Settings of the max-surface forecast, bound from "Hvs:Forecast".</summary>
public sealed record ForecastOptions
{
    public const string SectionName = "Hvs:Forecast";

    /// <summary>Off: modules keep no per-minute history and their status carries no forecast (no per-reading cost).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Minutes of per-minute means the rate fit looks back over: long enough to average noise, short enough to follow a fault's onset.</summary>
    public int FitMinutes { get; set; } = 10;

    /// <summary>Fewer minutes of history than this and no forecast is made.</summary>
    public int MinimumMinutes { get; set; } = 5;

    /// <summary>How far ahead the forecast goes, minutes.</summary>
    public int HorizonMinutes { get; set; } = 30;

    /// <summary>Spacing of the forecast points, minutes.</summary>
    public int StepMinutes { get; set; } = 5;

    /// <summary>How far ahead a time to a threshold is still given, minutes.</summary>
    public int ThresholdLookaheadMinutes { get; set; } = 120;

    /// <summary>Share of future readings the interval aims to hold (0.5–0.99).</summary>
    public double Coverage { get; set; } = 0.9;

    /// <summary>
    /// Temperature span (°C) the fit needs before it believes that the rise rate changes with temperature
    /// (ridge on the slope): a steady module's 0.3 °C of wobble must not read as acceleration.
    /// </summary>
    public double CurvatureSpanC { get; set; } = 2;

    /// <summary>
    /// Time constant (minutes) of a module surface settling towards its equilibrium with the air, the fit's prior for
    /// how the rate changes with temperature; 0 = a straight line. Load and air changes do not last: without evidence
    /// of self-heating a trend is damped, not carried on for 30 minutes.
    /// </summary>
    public double SettlingMinutes { get; set; } = 40;

    /// <summary>Cap of the fitted rate growth, 1/min (e-folding in 1/this minutes), so one noisy fit cannot explode.</summary>
    public double MaxGrowthPerMin { get; set; } = 0.3;

    /// <summary>How much the rise rate may wander unforeseen, °C/min (widens the interval with the horizon; calibrated on seed 0).</summary>
    public double RateDriftCPerMin { get; set; } = 0.05;

    /// <summary>Least scatter of a single reading around the trend, °C (thermistor resolution and noise).</summary>
    public double NoiseFloorC { get; set; } = 0.2;

    /// <summary>A rise rate below this (°C/min) is steady, not rising: 1 °C per 20 minutes.</summary>
    public double RisingCPerMin { get; set; } = 0.05;

    /// <summary>Forecast temperatures are capped here: past it the surface is in runaway and the exact number means nothing.</summary>
    public double CeilingC { get; set; } = 300;

    /// <summary>Configuration errors, empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MinimumMinutes < 3)
        {
            errors.Add($"{SectionName}:{nameof(MinimumMinutes)} must be at least 3 (two rates to fit).");
        }

        if (FitMinutes < MinimumMinutes || FitMinutes > 60)
        {
            errors.Add($"{SectionName}:{nameof(FitMinutes)} must be between {nameof(MinimumMinutes)} and 60.");
        }

        if (StepMinutes < 1 || HorizonMinutes < StepMinutes || HorizonMinutes > 240)
        {
            errors.Add($"{SectionName}:{nameof(StepMinutes)} must be at least 1 and {nameof(HorizonMinutes)} between it and 240.");
        }

        if (ThresholdLookaheadMinutes < 1)
        {
            errors.Add($"{SectionName}:{nameof(ThresholdLookaheadMinutes)} must be at least 1.");
        }

        if (!(Coverage is >= 0.5 and <= 0.99))
        {
            errors.Add($"{SectionName}:{nameof(Coverage)} must be between 0.5 and 0.99.");
        }

        foreach (var (name, value) in new[] { (nameof(CurvatureSpanC), CurvatureSpanC), (nameof(RateDriftCPerMin), RateDriftCPerMin), (nameof(NoiseFloorC), NoiseFloorC), (nameof(RisingCPerMin), RisingCPerMin), (nameof(SettlingMinutes), SettlingMinutes), (nameof(MaxGrowthPerMin), MaxGrowthPerMin) })
        {
            if (!(value >= 0) || !double.IsFinite(value))
            {
                errors.Add($"{SectionName}:{name} must be a finite number ≥ 0.");
            }
        }

        if (!(CeilingC > 0) || !double.IsFinite(CeilingC))
        {
            errors.Add($"{SectionName}:{nameof(CeilingC)} must be a finite number > 0.");
        }

        return errors;
    }
}
