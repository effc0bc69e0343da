namespace HvsGrains.Simulation.Physics;

/// <summary>Result of a simulated accelerating-rate calorimetry run.</summary>
/// <param name="OnsetC">Temperature at which the seek first found self-heating ≥ the threshold (ARC "T1").</param>
/// <param name="TriggerC">Temperature at which dT/dt first reached the trigger rate (ARC "T2").</param>
/// <param name="PeakC">Maximum temperature (ARC "T3").</param>
/// <param name="OnsetToTriggerS">Time from onset detection to trigger, s.</param>
public readonly record struct ArcResult(double OnsetC, double TriggerC, double PeakC, double OnsetToTriggerS);

/// <summary>
/// Heat–wait–seek ARC on one cell (Feng et al. 2014/2018 procedure): heat in 5 K steps, wait
/// for equilibrium, seek for self-heating ≥ 0.02 °C/min, then follow the cell adiabatically.
/// The calorimeter is ideal (zero heat loss, φ = 1) and only decomposition heat acts — the
/// separator-collapse short and vent mass loss of a real cell are not modelled here.
/// </summary>
public static class ArcSimulation
{
    /// <summary>Runs the procedure and returns onset, trigger and peak temperatures.</summary>
    public static ArcResult Run(
        ChemistryPreset p,
        double startC = 50.0,
        double stepK = 5.0,
        double waitS = 20 * 60,
        double seekS = 10 * 60,
        EventCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(p);
        EventCriteria k = criteria ?? EventCriteria.Default;
        double thresholdCPerS = k.OnsetSelfHeatCPerMin / 60.0;
        ReactionState s = ReactionState.Fresh(p);
        double t = startC;
        double onset = double.NaN, onsetClock = double.NaN, trigger = double.NaN, triggerAt = double.NaN, peak = t, clock = 0;

        // Heat–wait–seek; whenever the seek finds self-heating the calorimeter tracks the cell
        // adiabatically (exotherm mode) until the rate falls below the threshold again, then
        // resumes stepping — as a real ARC does when an early exotherm dies out.
        while (t < 500.0 && double.IsNaN(trigger))
        {
            clock += Adiabatic(ref s, p, ref t, waitS, k.TriggerRateCPerS, ref trigger, ref triggerAt, ref peak, clock);
            double before = t;
            clock += Adiabatic(ref s, p, ref t, seekS, k.TriggerRateCPerS, ref trigger, ref triggerAt, ref peak, clock);
            if ((t - before) / seekS < thresholdCPerS)
            {
                t += stepK;
                continue;
            }

            if (double.IsNaN(onset))
            {
                onset = before;
                onsetClock = clock;
            }

            double chunkStart;
            do
            {
                chunkStart = t;
                clock += Adiabatic(ref s, p, ref t, seekS, k.TriggerRateCPerS, ref trigger, ref triggerAt, ref peak, clock);
            }
            while ((t - chunkStart) / seekS >= thresholdCPerS && double.IsNaN(trigger));
        }

        // After the trigger, follow the runaway to its peak.
        clock += Adiabatic(ref s, p, ref t, 24 * 3600.0, k.TriggerRateCPerS, ref trigger, ref triggerAt, ref peak, clock);
        return new ArcResult(onset, trigger, peak, triggerAt - onsetClock);
    }

    // Adiabatic integration with ≤ 0.5 K per sub-step; returns the time spent, stops early once
    // the reactions are spent after a runaway.
    private static double Adiabatic(
        ref ReactionState s, ChemistryPreset p, ref double t, double duration, double triggerRate,
        ref double triggerC, ref double triggerAtS, ref double peakC, double clock)
    {
        double cp = p.CellHeatCapacityJPerKgK;
        double elapsed = 0;
        while (elapsed < duration)
        {
            double rate = DecompositionKinetics.HeatRateWPerKg(in s, p, t) / cp;
            double h = Math.Min(duration - elapsed, 10.0);
            if (rate * h > 0.5)
            {
                h = Math.Max(0.5 / rate, 1e-4);
            }

            ReactionRelease rel = DecompositionKinetics.Advance(ref s, p, t, h);
            double dT = rel.HeatJPerKg / cp;
            t += dT;
            elapsed += h;
            if (double.IsNaN(triggerC) && dT / h >= triggerRate)
            {
                triggerC = t;
                triggerAtS = clock + elapsed;
            }

            peakC = Math.Max(peakC, t);
            if (!double.IsNaN(triggerC) && rate < 1e-4)
            {
                break; // reactions spent after the runaway: peak reached
            }
        }

        return elapsed;
    }
}
