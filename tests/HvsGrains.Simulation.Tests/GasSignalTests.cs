using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

/// <summary>Off-gas must precede PNR in developing shorts and stay at background otherwise.</summary>
public sealed class GasSignalTests
{
    private static readonly ScenarioRunner Runner = new(new RunnerOptions { SampleInterval = TimeSpan.FromSeconds(10) });

    [Theory]
    [InlineData(Chemistry.Nmc)]
    [InlineData(Chemistry.Lfp)]
    public void Gas_rises_before_pnr_in_growing_shorts(Chemistry chem)
    {
        // Severity 4: a short growing over ~30 min (the case an early-warning system exists for).
        // Hard shorts (severity 5) can cross PNR within seconds of venting: no warning is possible.
        int withPnr = 0;
        for (int seed = 0; seed < 5; seed++)
        {
            ScenarioSpec spec = TestScenarios.Make(chem, FaultType.InternalShort, 4, seed, TimeSpan.FromHours(3));
            DateTimeOffset? firstGas = null, pnr = null;
            foreach (ModuleSample s in Runner.Run(spec))
            {
                if (s.ModuleIndex != spec.FaultModule)
                {
                    continue;
                }

                pnr ??= s.PnrTime;
                // 10 ppm VOC or 5 ppm H2 above background: well beyond sensor noise.
                if (firstGas is null && (s.Truth.VocPpm > 10 || s.Truth.H2Ppm > 5))
                {
                    firstGas = s.Timestamp;
                }
            }

            if (pnr is null)
            {
                continue; // a marginal NMC short that drained before runaway: no PNR, no label
            }

            withPnr++;
            Assert.NotNull(firstGas);
            Assert.True(pnr.Value - firstGas.Value >= TimeSpan.FromMinutes(1), $"{spec.Id}: gas {firstGas:HH:mm:ss}, PNR {pnr:HH:mm:ss}");
        }

        Assert.True(withPnr >= 2, $"only {withPnr} of 5 reached PNR");
    }

    [Theory]
    [InlineData(FaultType.HvacFailure)]
    [InlineData(FaultType.HighLoad)]
    [InlineData(FaultType.None)]
    public void Gas_stays_near_background_in_benign_runs(FaultType kind)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            ScenarioSpec spec = TestScenarios.Make(seed % 2 == 0 ? Chemistry.Nmc : Chemistry.Lfp, kind, 1, seed, TimeSpan.FromHours(6));
            double maxCo = 0, maxH2 = 0, maxVoc = 0;
            foreach (ModuleSample s in Runner.Run(spec))
            {
                maxCo = Math.Max(maxCo, s.Sensors.CoPpm ?? 0);
                maxH2 = Math.Max(maxH2, s.Sensors.H2Ppm ?? 0);
                maxVoc = Math.Max(maxVoc, s.Sensors.VocPpm ?? 0);
            }

            // Background 1 / 0.5 / 0.3 ppm plus ≤ 5σ of noise.
            Assert.True(maxCo < 3.0 && maxH2 < 2.5 && maxVoc < 1.5, $"{spec.Id}: CO {maxCo:F2} H2 {maxH2:F2} VOC {maxVoc:F2}");
        }
    }
}
