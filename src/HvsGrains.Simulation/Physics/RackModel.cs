namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Steps the modules of one rack (a vertical stack: module i touches i−1 and i+1) together
/// with the rack air. State lives in arrays of structs, updated in place: no allocation per
/// step. Normal operation takes one explicit step per call; a module whose core heats fast
/// (short circuit, decomposition) is sub-stepped so its core changes ≤ 0.5 K per sub-step.
/// </summary>
public sealed class RackModel
{
    /// <summary>Largest core temperature change allowed in one sub-step, K.</summary>
    public const double MaxCoreChangePerSubstepK = 0.5;

    // Neighbour coupling: conduction through the shelf steel (~1 W/K) plus grey-body radiation
    // between facing module sides (ε = 0.8, 0.5 m²). Radiation grows with T³, so a module in
    // runaway (600–800 °C) heats its neighbours strongly while at 25 °C the link is ~3 W/K.
    private const double NeighbourConductionWPerK = 1.0;
    private const double NeighbourRadiationEpsArea = 0.8 * 0.5;
    private const double StefanBoltzmann = 5.670374e-8;

    // Busbars and connectors add ~0.1 mΩ per module.
    private const double BusbarOhm = 0.1e-3;

    // After venting, stored gas escapes with a ~5 s time constant (vent orifice flow) and the
    // remaining electrolyte evaporates at 3e-4 mol/s per kg of cell per atm of vapour pressure,
    // which empties a vented cell in ~10–30 min at 120–200 °C as in vent-gas measurements.
    private const double VentOutflowTauS = 5.0;
    private const double EvaporationMolPerSPerKg = 3e-4;
    private const double SolventHvapJPerMol = 38_000.0;

    // Overcharge: above 100 % SoC an increasing share of the charge current goes into side
    // reactions (electrolyte oxidation, lithium plating) instead of storage, reaching 100 % at
    // 120 % SoC; side-reaction charge makes ~0.5 mol gas per faraday (CO2/CO from oxidation).
    private const double SideReactionSocSpan = 0.2;
    private const double GasPerFaraday = 0.5;
    private const double Faraday = 96_485.0;

    private readonly ModuleState[] _states;
    private readonly ModuleInputs[] _inputs;
    private readonly double[] _surfaceSnapshot;
    private RackAir _air;

    /// <summary>Creates a rack of <paramref name="moduleCount"/> identical modules at rest.</summary>
    public RackModel(ChemistryPreset chemistry, int moduleCount, double initialTempC, double initialSoc, EventCriteria? criteria = null)
    {
        ArgumentNullException.ThrowIfNull(chemistry);
        ArgumentOutOfRangeException.ThrowIfLessThan(moduleCount, 1);
        Chemistry = chemistry;
        Criteria = criteria ?? EventCriteria.Default;
        _states = new ModuleState[moduleCount];
        _inputs = new ModuleInputs[moduleCount];
        _surfaceSnapshot = new double[moduleCount];
        for (int i = 0; i < moduleCount; i++)
        {
            _states[i] = new ModuleState
            {
                CoreC = initialTempC,
                SurfaceC = initialTempC,
                Soc = initialSoc,
                CellSoc = initialSoc,
                Reactions = ReactionState.Fresh(chemistry),
                ElectrolyteLeftKg = chemistry.ElectrolyteMassFraction * chemistry.CellMassKg,
                Events = ModuleEvents.None,
            };
            _inputs[i] = ModuleInputs.Nominal;
        }

        _air.AirC = initialTempC;
    }

    public ChemistryPreset Chemistry { get; }
    public EventCriteria Criteria { get; }
    public int ModuleCount => _states.Length;

    /// <summary>Simulated time since the start, s.</summary>
    public double TimeS { get; private set; }

    /// <summary>Module states (read or edit in place).</summary>
    public Span<ModuleState> States => _states;

    /// <summary>Per-module inputs for the next step (edit in place).</summary>
    public Span<ModuleInputs> Inputs => _inputs;

    /// <summary>Rack air temperature and off-gas concentrations.</summary>
    public ref readonly RackAir Air => ref _air;

    /// <summary>Advances the rack by <paramref name="dt"/> seconds.</summary>
    public void Step(double dt, in RackEnvironment env)
    {
        int n = _states.Length;
        for (int i = 0; i < n; i++)
        {
            _surfaceSnapshot[i] = _states[i].SurfaceC;
        }

        double airC = _air.AirC;
        double sumG = 0, sumGT = 0, h2 = 0, co = 0, voc = 0;
        for (int i = 0; i < n; i++)
        {
            ref ModuleState s = ref _states[i];
            ref readonly ModuleInputs inp = ref _inputs[i];
            double left = i > 0 ? _surfaceSnapshot[i - 1] : double.NaN;
            double right = i < n - 1 ? _surfaceSnapshot[i + 1] : double.NaN;
            (double h2Before, double coBefore, double vocBefore) = (h2, co, voc);
            StepModule(ref s, in inp, in env, airC, left, right, dt, ref h2, ref co, ref voc);

            // The plume next to the module, above the rack air: what a module's own gas sensor sees more of.
            s.LocalH2Ppm = RackAir.Dilute(s.LocalH2Ppm, h2 - h2Before, dt, RackAir.LocalExchangesPerHour, 0.0, RackAir.LocalVolumeM3);
            s.LocalCoPpm = RackAir.Dilute(s.LocalCoPpm, co - coBefore, dt, RackAir.LocalExchangesPerHour, 0.0, RackAir.LocalVolumeM3);
            s.LocalVocPpm = RackAir.Dilute(s.LocalVocPpm, voc - vocBefore, dt, RackAir.LocalExchangesPerHour, 0.0, RackAir.LocalVolumeM3);
            double g = Chemistry.SurfaceToAirWPerK * inp.CoolingFactor;
            sumG += g;
            sumGT += g * s.SurfaceC;
        }

        // Rack air: implicit balance of module convection and ventilation.
        double c = RackAir.HeatCapacityJPerK;
        _air.AirC = ((c * airC) + (dt * (sumGT + (env.AirExchangeWPerK * env.SupplyAirC))))
            / (c + (dt * (sumG + env.AirExchangeWPerK)));
        _air.H2Ppm = RackAir.Dilute(_air.H2Ppm, h2, dt, env.AirChangesPerHour, env.SupplyH2Ppm);
        _air.CoPpm = RackAir.Dilute(_air.CoPpm, co, dt, env.AirChangesPerHour, env.SupplyCoPpm);
        _air.VocPpm = RackAir.Dilute(_air.VocPpm, voc, dt, env.AirChangesPerHour, env.SupplyVocPpm);
        TimeS += dt;
    }

    private static double NeighbourWPerK(double t1C, double t2C)
    {
        double a = t1C + PhysicalConstants.ZeroCelsiusK, b = t2C + PhysicalConstants.ZeroCelsiusK;
        return NeighbourConductionWPerK + (NeighbourRadiationEpsArea * StefanBoltzmann * ((a * a) + (b * b)) * (a + b));
    }

    private void StepModule(
        ref ModuleState s, in ModuleInputs inp, in RackEnvironment env, double airC,
        double leftC, double rightC, double dt, ref double h2, ref double co, ref double voc)
    {
        ChemistryPreset p = Chemistry;
        int cells = p.CellsInSeries;
        double cCell = p.CellHeatCapacity;
        double cBody = p.ModuleBodyHeatCapacity;
        double qAs = 3600.0 * p.CapacityAh;
        double qCell = qAs * inp.CellCapacityFactor;
        double gAir = p.SurfaceToAirWPerK * inp.CoolingFactor;
        double current = env.RackCurrentA - inp.ExtraChargeCurrentA; // + discharge
        double done = 0.0;
        double coreStart = s.CoreC;

        while (done < dt)
        {
            double ocvCore = p.Ocv.Volts(s.CellSoc);
            double ocvBody = p.Ocv.Volts(s.Soc);
            double rCore = p.Resistance.Ohm(s.CellSoc, s.CoreC);
            double rBody = p.Resistance.Ohm(s.Soc, s.SurfaceC);

            // Internal short: the cell discharges through R_isc; all of OCV·I_isc becomes heat
            // in the jelly roll (V²/R_isc in the short plus I²R inside the cell).
            double iIsc = 0.0;
            if (!double.IsPositiveInfinity(inp.IscOhm) && s.CellSoc > 0.0)
            {
                iIsc = ocvCore / (inp.IscOhm + rCore);
            }

            double pIsc = ocvCore * iIsc;

            // Overcharge side reactions (only while charging above 100 % SoC).
            double fCore = current < 0 ? Math.Clamp((s.CellSoc - 1.0) / SideReactionSocSpan, 0.0, 1.0) : 0.0;
            double fBody = current < 0 ? Math.Clamp((s.Soc - 1.0) / SideReactionSocSpan, 0.0, 1.0) : 0.0;
            double absI = Math.Abs(current);
            double pCore = (current * current * rCore) + pIsc + (fCore * absI * ocvCore) + (0.5 * inp.ExternalHeatW);
            double pBody = ((cells - 1) * ((current * current * rBody) + (fBody * absI * ocvBody)))
                + (current * current * BusbarOhm) + (0.5 * inp.ExternalHeatW);

            double qRxn = DecompositionKinetics.HeatRateWPerKg(in s.Reactions, p, s.CoreC, s.CellSoc) * p.CellMassKg;
            double evapMolPerS = s.Vented && s.ElectrolyteLeftKg > 0
                ? EvaporationMolPerSPerKg * p.CellMassKg * VentModel.VapourPressurePa(s.CoreC) / PhysicalConstants.AtmospherePa
                : 0.0;
            double coreRate = (pCore + qRxn - (evapMolPerS * SolventHvapJPerMol) + (p.CoreToSurfaceWPerK * (s.SurfaceC - s.CoreC))) / cCell;

            double h = dt - done;
            if (Math.Abs(coreRate) * h > MaxCoreChangePerSubstepK)
            {
                h = Math.Max(MaxCoreChangePerSubstepK / Math.Abs(coreRate), 1e-3);
                h = Math.Min(h, dt - done);
            }

            // Decomposition over the sub-step (exact rate laws at frozen temperature).
            ReactionRelease rel = DecompositionKinetics.Advance(ref s.Reactions, p, s.CoreC, h, s.CellSoc);
            double rxnJ = rel.HeatJPerKg * p.CellMassKg;

            // Electrolyte evaporation after venting (cools the core by its latent heat).
            double evapMol = Math.Min(evapMolPerS * h, s.ElectrolyteLeftKg / VentModel.ElectrolyteMolarMassKg);
            s.ElectrolyteLeftKg -= evapMol * VentModel.ElectrolyteMolarMassKg;

            // Heat balance (explicit; all conduction time constants ≫ 1 s).
            double bodyIn = pBody + (p.CoreToSurfaceWPerK * (s.CoreC - s.SurfaceC)) + (gAir * (airC - s.SurfaceC));
            if (!double.IsNaN(leftC))
            {
                bodyIn += NeighbourWPerK(leftC, s.SurfaceC) * (leftC - s.SurfaceC);
            }

            if (!double.IsNaN(rightC))
            {
                bodyIn += NeighbourWPerK(rightC, s.SurfaceC) * (rightC - s.SurfaceC);
            }

            double coreJ = ((pCore + (p.CoreToSurfaceWPerK * (s.SurfaceC - s.CoreC))) * h) + rxnJ - (evapMol * SolventHvapJPerMol);
            double dCore = coreJ / cCell;
            s.CoreC += dCore;
            s.SurfaceC += bodyIn * h / cBody;

            // Charge bookkeeping: side-reaction charge is not stored.
            s.Soc -= current * (current < 0 ? 1.0 - fBody : 1.0) * h / qAs;
            double storedCore = current * (current < 0 ? 1.0 - fCore : 1.0);
            s.CellSoc -= (storedCore + iIsc) * h / qCell;
            if (fCore > 0)
            {
                // Half the side charge plates lithium on bare graphite: more reactive anode
                // material without a protective SEI (lowers the onset of overcharged cells).
                double plated = 0.5 * fCore * absI * h / qCell * p.AnodeInitial;
                s.Reactions.Cneg = Math.Min(1.0, s.Reactions.Cneg + plated);
                s.Reactions.Z = Math.Max(p.TunnellingZ0, s.Reactions.Z - plated);
            }

            // Gas: generated inside the cell; trapped until the vent opens.
            double sideMol = GasPerFaraday * fCore * absI * h / Faraday;
            s.StoredGasMol += (rel.GasMolPerKg * p.CellMassKg) + sideMol;
            s.StoredH2Mol += (rel.H2MolPerKg * p.CellMassKg) + (0.1 * sideMol);
            s.StoredCoMol += (rel.CoMolPerKg * p.CellMassKg) + (0.3 * sideMol);
            s.StoredVocMol += (rel.VocMolPerKg * p.CellMassKg) + (0.1 * sideMol);
            double now = TimeS + done + h;
            if (!s.Vented)
            {
                s.GaugePressurePa = VentModel.GaugePressurePa(s.CoreC, s.StoredGasMol, p.HeadspaceM3);
                if (s.GaugePressurePa >= p.VentBurstGaugePa)
                {
                    s.Vented = true;
                    s.Events.VentS = now;
                }
            }

            if (s.Vented)
            {
                double frac = -double.ExpM1(-h / VentOutflowTauS);
                h2 += s.StoredH2Mol * frac;
                co += s.StoredCoMol * frac;
                voc += (s.StoredVocMol * frac) + evapMol;
                s.StoredGasMol -= s.StoredGasMol * frac;
                s.StoredH2Mol -= s.StoredH2Mol * frac;
                s.StoredCoMol -= s.StoredCoMol * frac;
                s.StoredVocMol -= s.StoredVocMol * frac;
                s.GaugePressurePa = 0.0;
            }

            // Events, judged on the true core temperature and its rate.
            double rate = dCore / h;
            double selfRate = rxnJ / (cCell * h);
            RecordEvents(ref s.Events, s.CoreC, rate, selfRate, now);

            s.IscPowerW = pIsc;
            s.SelfHeatRateCPerS = selfRate;
            s.TerminalVoltageV = ((cells - 1) * (ocvBody - (current * rBody))) + (ocvCore - ((current + iIsc) * rCore)) - (current * BusbarOhm);
            done += h;
        }

        s.CurrentA = current;
        s.CoreRateCPerS = (s.CoreC - coreStart) / dt;
    }

    private void RecordEvents(ref ModuleEvents e, double coreC, double rateCPerS, double selfRateCPerS, double now)
    {
        EventCriteria k = Criteria;
        if (double.IsNaN(e.SelfHeatingOnsetS) && selfRateCPerS * 60.0 >= k.OnsetSelfHeatCPerMin)
        {
            e.SelfHeatingOnsetS = now;
        }

        if (double.IsNaN(e.RunawayTriggerS) && rateCPerS >= k.TriggerRateCPerS)
        {
            e.RunawayTriggerS = now;
        }

        if (double.IsNaN(e.PnrS) && (coreC >= k.PnrTempC || (rateCPerS >= k.PnrRateCPerS && coreC >= k.PnrRateMinTempC)))
        {
            e.PnrS = now;
        }
    }
}
