namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Integrates the Hatchard/Kim decomposition reactions over a (sub-)step. Each rate law is
/// integrated with its exact solution at frozen temperature (first-order decay, logistic for
/// the cathode), so progress variables stay in [0, 1] whatever the step; the caller limits the
/// step so temperature changes ≤ 0.5 K, which keeps the frozen-temperature error small.
/// </summary>
public static class DecompositionKinetics
{
    /// <summary>Below this core temperature all rates are treated as zero: at 40 °C the SEI
    /// reaction self-heats a cell by ~5e-7 K/s (&lt; 0.05 K/day), far below every other term.</summary>
    public const double NegligibleBelowC = 40.0;

    /// <summary>Time constant of the short after separator collapse, s.</summary>
    public const double SeparatorShortTauS = 10.0;

    /// <summary>Chemical self-heating power, W per kg of cell, at the given state and temperature.</summary>
    public static double HeatRateWPerKg(in ReactionState s, ChemistryPreset p, double temperatureC, double soc = 1.0)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (temperatureC < NegligibleBelowC)
        {
            return 0.0;
        }

        double tK = temperatureC + PhysicalConstants.ZeroCelsiusK;
        double rSei = p.Sei.RateConstant(tK) * s.Csei;
        double rNeg = p.AnodeSolvent.RateConstant(tK) * Math.Exp(-s.Z / p.TunnellingZ0) * s.Cneg;
        double rPos = p.CathodeSolvent.RateConstant(tK) * s.Alpha * (1.0 - s.Alpha);
        double rE = p.Electrolyte.RateConstant(tK) * s.Ce;
        double rSep = temperatureC >= p.SeparatorCollapseC ? s.Sep / SeparatorShortTauS : 0.0;
        return (rSep * p.SeparatorShortJPerKg * Math.Clamp(soc, 0.0, 1.2))
            + (rSei * p.Sei.HeatPerUnitProgress)
            + (rNeg * p.AnodeSolvent.HeatPerUnitProgress)
            + (rPos * p.CathodeSolvent.HeatPerUnitProgress)
            + (rE * p.Electrolyte.HeatPerUnitProgress);
    }

    /// <summary>Advances the reactions by <paramref name="dt"/> seconds at a frozen temperature.</summary>
    public static ReactionRelease Advance(ref ReactionState s, ChemistryPreset p, double temperatureC, double dt, double soc = 1.0)
    {
        ArgumentNullException.ThrowIfNull(p);
        var rel = default(ReactionRelease);
        if (temperatureC < NegligibleBelowC)
        {
            return rel;
        }

        double tK = temperatureC + PhysicalConstants.ZeroCelsiusK;

        // SEI: dc/dt = −A e^(−Ea/RT) c.
        double dSei = s.Csei * -double.ExpM1(-p.Sei.RateConstant(tK) * dt);
        s.Csei -= dSei;

        // Anode–solvent: dc/dt = −A e^(−z/z0) e^(−Ea/RT) c, dz/dt = +rate (the SEI regrows and
        // throttles electron tunnelling, Hatchard 2001).
        double kNeg = p.AnodeSolvent.RateConstant(tK) * Math.Exp(-s.Z / p.TunnellingZ0);
        double dNeg = s.Cneg * -double.ExpM1(-kNeg * dt);
        s.Cneg -= dNeg;
        s.Z += dNeg;

        // Cathode–solvent: dα/dt = A e^(−Ea/RT) α(1−α), exact logistic solution.
        double x = p.CathodeSolvent.RateConstant(tK) * dt;
        double a0 = s.Alpha;
        double a1 = x > 50.0 ? 1.0 : a0 * Math.Exp(x) / (1.0 - a0 + (a0 * Math.Exp(x)));
        double dPos = a1 - a0;
        s.Alpha = a1;

        // Electrolyte: dc/dt = −A e^(−Ea/RT) c.
        double dE = s.Ce * -double.ExpM1(-p.Electrolyte.RateConstant(tK) * dt);
        s.Ce -= dE;

        // Separator collapse: a massive internal short dumps part of the stored electrical
        // energy within ~10 s (the ISC stage of Ren et al. 2018, Appl. Energy 228, 633).
        double dSep = temperatureC >= p.SeparatorCollapseC ? s.Sep * -double.ExpM1(-dt / SeparatorShortTauS) : 0.0;
        s.Sep -= dSep;

        rel.HeatJPerKg = (dSep * p.SeparatorShortJPerKg * Math.Clamp(soc, 0.0, 1.2))
            + (dSei * p.Sei.HeatPerUnitProgress)
            + (dNeg * p.AnodeSolvent.HeatPerUnitProgress)
            + (dPos * p.CathodeSolvent.HeatPerUnitProgress)
            + (dE * p.Electrolyte.HeatPerUnitProgress);

        AddGas(ref rel, p.Sei, dSei);
        AddGas(ref rel, p.AnodeSolvent, dNeg);
        rel.AnodeGasMolPerKg = rel.GasMolPerKg;
        AddGas(ref rel, p.CathodeSolvent, dPos);
        AddGas(ref rel, p.Electrolyte, dE);
        return rel;
    }

    private static void AddGas(ref ReactionRelease rel, in ArrheniusReaction r, double progress)
    {
        double mol = progress * r.GasPerUnitProgress;
        rel.GasMolPerKg += mol;
        rel.H2MolPerKg += mol * r.Gas.H2;
        rel.CoMolPerKg += mol * r.Gas.Co;
        rel.VocMolPerKg += mol * r.Gas.Voc;
    }
}
