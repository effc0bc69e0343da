using HvsGrains.Simulation.Physics;
using Xunit.Abstractions;

namespace HvsGrains.Simulation.Tests;

/// <summary>
/// Simulated ARC (heat–wait–seek) against published ARC ranges for large-format cells
/// (Feng et al. 2018, Energy Storage Mater. 10, 246; Golubkov et al. 2014, RSC Adv. 4, 3633):
/// NMC T1 ≈ 90–120 °C, T2 ≈ 180–250 °C, T3 ≈ 650–1050 °C; LFP higher T1 and T2, T3 ≈ 400–550 °C.
/// Tolerances: the 5 K ARC step means T1 is only resolved to 5 K, so ranges are the literature
/// bands themselves with no further widening.
/// </summary>
public sealed class ArcCalibrationTests(ITestOutputHelper output)
{
    [Fact]
    public void Nmc_matches_literature_arc_ranges()
    {
        ArcResult r = ArcSimulation.Run(ChemistryPreset.Nmc);
        output.WriteLine($"NMC onset {r.OnsetC:F1} trigger {r.TriggerC:F1} peak {r.PeakC:F1} onset→trigger {r.OnsetToTriggerS / 3600:F1} h");
        Assert.InRange(r.OnsetC, 90.0, 120.0);
        Assert.InRange(r.TriggerC, 180.0, 250.0);
        Assert.InRange(r.PeakC, 650.0, 1050.0);
    }

    [Fact]
    public void Lfp_is_more_stable_than_nmc()
    {
        ArcResult nmc = ArcSimulation.Run(ChemistryPreset.Nmc);
        ArcResult lfp = ArcSimulation.Run(ChemistryPreset.Lfp);
        output.WriteLine($"LFP onset {lfp.OnsetC:F1} trigger {lfp.TriggerC:F1} peak {lfp.PeakC:F1} onset→trigger {lfp.OnsetToTriggerS / 3600:F1} h");
        Assert.True(lfp.OnsetC > nmc.OnsetC, "LFP onset must be higher");
        Assert.True(lfp.TriggerC > nmc.TriggerC, "LFP trigger must be higher");
        Assert.InRange(lfp.PeakC, 400.0, 550.0);
        Assert.True(lfp.PeakC < nmc.PeakC - 150.0, "LFP peak must be far lower");
    }
}
