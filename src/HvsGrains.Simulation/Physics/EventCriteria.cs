namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Thresholds that define the recorded events. Defaults: PNR as in the seed project (core
/// ≥ 140 °C, or ≥ 0.5 °C/s above 110 °C); self-heating onset 0.02 °C/min (the ARC detection
/// sensitivity, Feng et al. 2018 "T1"); runaway trigger 1 °C/s (Feng et al. 2018 "T2").
/// </summary>
public sealed record EventCriteria
{
    public double PnrTempC { get; init; } = 140.0;
    public double PnrRateCPerS { get; init; } = 0.5;
    public double PnrRateMinTempC { get; init; } = 110.0;
    public double OnsetSelfHeatCPerMin { get; init; } = 0.02;
    public double TriggerRateCPerS { get; init; } = 1.0;

    /// <summary>The defaults above.</summary>
    public static EventCriteria Default { get; } = new();
}
