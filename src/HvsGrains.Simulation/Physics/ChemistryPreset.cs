namespace HvsGrains.Simulation.Physics;

/// <summary>
/// Everything chemistry-specific about one cell and the module built from it: electrical,
/// thermal, decomposition kinetics, gas and vent parameters. Values and sources are given
/// beside each number in <see cref="Nmc"/> and <see cref="Lfp"/>.
/// </summary>
public sealed class ChemistryPreset
{
    public required Chemistry Chemistry { get; init; }

    // --- electrical ---
    public required double CapacityAh { get; init; }
    public required int CellsInSeries { get; init; }
    public required OcvCurve Ocv { get; init; }
    public required InternalResistanceModel Resistance { get; init; }

    // --- thermal ---
    public required double CellMassKg { get; init; }
    public required double CellHeatCapacityJPerKgK { get; init; }
    /// <summary>Conductance from the hottest cell's core to the module body, W/K.</summary>
    public required double CoreToSurfaceWPerK { get; init; }
    /// <summary>Non-cell module mass (housing, busbars, plates), kg of aluminium (cp 900 J/kg K).</summary>
    public required double HousingMassKg { get; init; }
    /// <summary>Forced-air convection module surface → rack air at nominal HVAC flow, W/K.</summary>
    public required double SurfaceToAirWPerK { get; init; }

    // --- decomposition (Hatchard 2001 / Kim 2007 form) ---
    public required ArrheniusReaction Sei { get; init; }
    public required ArrheniusReaction AnodeSolvent { get; init; }
    public required ArrheniusReaction CathodeSolvent { get; init; }
    public required ArrheniusReaction Electrolyte { get; init; }
    public required double SeiInitial { get; init; }
    public required double AnodeInitial { get; init; }
    /// <summary>Initial (and reference) dimensionless SEI thickness z0 for the tunnelling term.</summary>
    public required double TunnellingZ0 { get; init; }
    public required double CathodeAlphaInitial { get; init; }

    /// <summary>Separator collapse (meltdown) temperature, °C.</summary>
    public required double SeparatorCollapseC { get; init; }
    /// <summary>Electrical energy dumped inside the cell by the collapse short at 100 % SoC, J/kg.</summary>
    public required double SeparatorShortJPerKg { get; init; }

    // --- vent ---
    /// <summary>Burst pressure of the vent (gauge), Pa.</summary>
    public required double VentBurstGaugePa { get; init; }
    /// <summary>Free gas volume inside the cell, m³ (sets how fast gas raises pressure).</summary>
    public required double HeadspaceM3 { get; init; }
    /// <summary>Electrolyte mass per kg of cell.</summary>
    public double ElectrolyteMassFraction => Electrolyte.ReactantMassFraction;

    /// <summary>Total heat capacity of one cell, J/K.</summary>
    public double CellHeatCapacity => CellMassKg * CellHeatCapacityJPerKgK;

    /// <summary>Heat capacity of the module body (all other cells plus housing), J/K.</summary>
    public double ModuleBodyHeatCapacity => ((CellsInSeries - 1) * CellHeatCapacity) + (HousingMassKg * 900.0);

    /// <summary>Preset by chemistry.</summary>
    public static ChemistryPreset For(Chemistry chemistry) => chemistry switch
    {
        Chemistry.Nmc => Nmc,
        Chemistry.Lfp => Lfp,
        _ => throw new ArgumentOutOfRangeException(nameof(chemistry)),
    };

    // Reactant mass fractions: Kim et al. 2007 give W (g/m³) per jelly-roll volume with a
    // jelly-roll density ρ = 2580 kg/m³ (their Table 2): W_c = 6.104e5, W_p = 1.221e6, W_e = 4.069e5.
    private const double JellyRollDensity = 2.58e6; // g/m³
    private const double NmcCarbonFraction = 6.104e5 / JellyRollDensity;     // 0.237 kg graphite per kg cell
    private const double NmcCathodeFraction = 1.221e6 / JellyRollDensity;    // 0.473
    private const double NmcElectrolyteFraction = 4.069e5 / JellyRollDensity; // 0.158

    // Gas yields (mol per kg of reactant; SEI 1 mol/kg so that a cell held at 60–70 °C swells
    // over days, not hours) are set so that a fully reacted NMC cell releases
    // about 1.5 L/Ah of gas with roughly 30 % H2 and 20–30 % CO, the composition reported by
    // Golubkov et al. 2014 (RSC Adv. 4, 3633) for NMC and LFP 18650 cells.
    private static readonly GasYield SeiGas = new(H2: 0.30, Co: 0.10, Voc: 0.30);       // C2H4, H2 from Li + binder
    private static readonly GasYield AnodeGas = new(H2: 0.50, Co: 0.10, Voc: 0.20);     // LixC6 + solvent → H2, hydrocarbons
    private static readonly GasYield CathodeGas = new(H2: 0.05, Co: 0.30, Voc: 0.05);   // O2 burns solvent → CO2/CO
    private static readonly GasYield ElectrolyteGas = new(H2: 0.10, Co: 0.40, Voc: 0.30);

    /// <summary>
    /// NMC prismatic ESS cell (94 Ah class, ~2.1 kg, e.g. Samsung SDI 94 Ah), 14 in series per module.
    /// Kinetics: Kim et al. 2007 (J. Power Sources 170, 476), Table 1, which took them from
    /// Hatchard et al. 2001 (J. Electrochem. Soc. 148, A755).
    /// </summary>
    public static ChemistryPreset Nmc { get; } = new()
    {
        Chemistry = Chemistry.Nmc,
        CapacityAh = 94.0,
        CellsInSeries = 14,
        // Typical graphite/NMC532 OCV at 25 °C (0..100 % SoC in 10 % steps); above 100 % the
        // voltage climbs ~3 V per unit SoC so that 130 % SoC reads ~5.1 V as in overcharge tests.
        Ocv = new OcvCurve([3.00, 3.45, 3.58, 3.65, 3.72, 3.80, 3.89, 3.98, 4.06, 4.13, 4.20], 3.0),
        // 0.6 mΩ DC resistance for a 94 Ah prismatic cell (data sheets 0.5–0.8 mΩ), Ea_R 25 kJ/mol.
        Resistance = new InternalResistanceModel(0.6e-3, 25_000.0, 1.0),
        CellMassKg = 2.1,
        CellHeatCapacityJPerKgK = 830.0,   // Kim et al. 2007 jelly-roll cp
        CoreToSurfaceWPerK = 2.0,          // ~0.03 m² face · 1 W/m K through-plane / 13.5 mm half-thickness, one side
        HousingMassKg = 5.0,               // aluminium housing + plates of a ~35 kg module
        SurfaceToAirWPerK = 15.0,          // h ≈ 10 W/m² K forced air over ~1.5 m²
        Sei = new ArrheniusReaction(1.667e15, 1.3508e5, 257e3, NmcCarbonFraction, 1.0, SeiGas),
        AnodeSolvent = new ArrheniusReaction(2.5e13, 1.3508e5, 1714e3, NmcCarbonFraction, 4.0, AnodeGas),
        CathodeSolvent = new ArrheniusReaction(6.667e13, 1.396e5, 314e3, NmcCathodeFraction, 3.0, CathodeGas),
        Electrolyte = new ArrheniusReaction(5.14e25, 2.74e5, 155e3, NmcElectrolyteFraction, 6.0, ElectrolyteGas),
        // Kim 2007 use c_sei,0 = 0.15 for a 2001-era LCO 18650; modern ESS cells with VC/FEC
        // additives form a more stable SEI. 0.10 is calibrated so the simulated ARC onset falls
        // in the 90–120 °C band reported for large NMC cells (Feng et al. 2018).
        SeiInitial = 0.10,
        AnodeInitial = 0.75,        // c_neg,0 (Kim 2007)
        TunnellingZ0 = 0.033,       // z_0 (Kim 2007)
        CathodeAlphaInitial = 0.04, // α_0 (Kim 2007)
        // Ceramic-coated PE separators shrink and collapse at ~200–260 °C (Feng et al. 2018);
        // the short then dissipates ~20 % of the 590 kJ/kg stored (94 Ah · 3.68 V / 2.1 kg) in
        // the cell, the rest leaving with the ejecta — an assumption, giving peaks of 700–900 °C.
        SeparatorCollapseC = 220.0,
        SeparatorShortJPerKg = 0.2 * 94.0 * 3.68 * 3600.0 / 2.1,
        // Prismatic ESS cells burst at roughly 0.2–0.8 MPa gauge; a soft 150 kPa vent makes the
        // cell open near 115–125 °C, where ARC tests of NMC cells report first venting.
        VentBurstGaugePa = 150e3,
        HeadspaceM3 = 100e-6, // ~10 % free volume of a ~1 L prismatic can
    };

    /// <summary>
    /// LFP prismatic ESS cell (280 Ah class, ~5.4 kg), 16 in series per module. SEI and anode
    /// kinetics are the graphite ones of Kim 2007 (same anode); the graphite and electrolyte mass
    /// fractions are lower because LFP cells store ~2/3 of the energy per kg (160 vs 240 Wh/kg).
    /// The cathode–solvent reaction follows the much more stable olivine: higher activation
    /// energy and ΔH ≈ 145 J/g (Peng &amp; Jiang 2016, Int. J. Heat Mass Transfer 103, 1008,
    /// reported for LiFePO4). The SEI fraction c_sei,0 and A of the cathode reaction were then
    /// calibrated so that simulated ARC matches LFP ARC data (Feng et al. 2018, Energy Storage
    /// Mater. 10, 246; Golubkov 2014: T_max 400–550 °C). These are calibrated, not tabulated.
    /// </summary>
    public static ChemistryPreset Lfp { get; } = new()
    {
        Chemistry = Chemistry.Lfp,
        CapacityAh = 280.0,
        CellsInSeries = 16,
        // Flat LFP plateau; steep rise above 100 % (LFP overcharge reaches ~5 V at ~120 %).
        Ocv = new OcvCurve([2.50, 3.20, 3.25, 3.28, 3.29, 3.30, 3.31, 3.32, 3.33, 3.35, 3.45], 6.0),
        Resistance = new InternalResistanceModel(0.25e-3, 25_000.0, 1.5), // 280 Ah cells: 0.18–0.3 mΩ
        CellMassKg = 5.4,
        CellHeatCapacityJPerKgK = 1100.0,  // measured 1000–1150 J/kg K for large LFP prismatics
        CoreToSurfaceWPerK = 4.0,          // larger faces (~0.05 m²) than the NMC cell
        HousingMassKg = 8.0,
        SurfaceToAirWPerK = 25.0,
        Sei = new ArrheniusReaction(1.667e15, 1.3508e5, 257e3, NmcCarbonFraction * 0.67, 1.0, SeiGas),
        AnodeSolvent = new ArrheniusReaction(2.5e13, 1.3508e5, 1714e3, NmcCarbonFraction * 0.67, 4.0, AnodeGas),
        CathodeSolvent = new ArrheniusReaction(2.0e8, 1.0e5, 145e3, 0.45, 1.0, CathodeGas),
        Electrolyte = new ArrheniusReaction(5.14e25, 2.74e5, 155e3, NmcElectrolyteFraction * 0.8, 6.0, ElectrolyteGas),
        SeiInitial = 0.10,
        AnodeInitial = 0.75,
        TunnellingZ0 = 0.033,
        CathodeAlphaInitial = 0.04,
        SeparatorCollapseC = 220.0,          // same separator technology as the NMC cell
        SeparatorShortJPerKg = 0.2 * 280.0 * 3.2 * 3600.0 / 5.4, // 20 % of 600 kJ/kg
        // Large LFP prismatics use stiffer cans; they vent later (~130–140 °C).
        VentBurstGaugePa = 200e3,
        HeadspaceM3 = 250e-6, // ~10 % free volume of a ~2.5 L can
    };
}
