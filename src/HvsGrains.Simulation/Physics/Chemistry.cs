namespace HvsGrains.Simulation.Physics;

/// <summary>Cell chemistry of a module; selects a <see cref="ChemistryPreset"/>.</summary>
public enum Chemistry
{
    /// <summary>Graphite / LiNiMnCoO2 (NMC): energy dense, reactive cathode.</summary>
    Nmc,

    /// <summary>Graphite / LiFePO4 (LFP): olivine cathode that releases little oxygen.</summary>
    Lfp,
}
