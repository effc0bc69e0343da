using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;
using Xunit.Abstractions;

namespace HvsGrains.Simulation.Tests;

/// <summary>
/// Runaway must emerge from physics for real faults and never for benign look-alikes.
/// <para>Stated severities (the guarantee the issue asks for, also in src/HvsGrains.Simulation/README.md):</para>
/// <list type="bullet">
/// <item>NMC: every severity-5 internal short (hard short, ≥ 700 W/kg final Joule power) at SoC ≥ 50 % reaches PNR.</item>
/// <item>LFP: every severity-5 short at SoC ≥ 50 % and every severity-4 short (≥ 140 W/kg, growing over ~30 min) at SoC ≥ 80 % reaches PNR.</item>
/// <item>NMC severity 4 is NOT guaranteed: the 2 kg NMC cell drains through a 140–260 W/kg short before its
/// decomposition heat takes over, so some runs stall at 135–140 °C just below PNR (the modules still vent and
/// gas, so the hazard rules see them). <see cref="Nmc_severity_4_shorts_are_not_covered_by_the_guarantee"/> reports the share.</item>
/// <item>Severities 1–3 are soft shorts that self-discharge the cell; they are not expected to reach PNR.</item>
/// </list>
/// Lower SoC drains a shorted cell before it heats, as in real cells.
/// </summary>
public sealed class FaultOutcomeTests(ITestOutputHelper output)
{
    private static readonly ScenarioRunner Runner = new();

    public static TheoryData<Chemistry, int, double> SevereShorts => new()
    {
        { Chemistry.Nmc, 5, 0.5 },
        { Chemistry.Lfp, 5, 0.5 },
        { Chemistry.Lfp, 4, 0.8 },
    };

    [Theory]
    [MemberData(nameof(SevereShorts))]
    public void Internal_shorts_above_stated_severity_reach_pnr(Chemistry chem, int severity, double minSoc)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            double soc = minSoc + ((1.0 - minSoc) * seed / 20.0);
            ScenarioSpec spec = TestScenarios.Make(chem, FaultType.InternalShort, severity, seed, TimeSpan.FromHours(3), soc: soc);
            ScenarioOutcome o = Runner.Simulate(spec);
            Assert.True(o.Modules[spec.FaultModule].Events.PnrReached, $"{spec.Id} soc {soc:F2} max core {o.Modules[spec.FaultModule].MaxCoreC:F0} °C");
        }
    }

    [Fact]
    public void Nmc_severity_4_shorts_are_not_covered_by_the_guarantee()
    {
        int reached = 0;
        double hottestStall = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            double soc = 0.8 + (0.2 * seed / 10.0);
            ScenarioSpec spec = TestScenarios.Make(Chemistry.Nmc, FaultType.InternalShort, 4, seed, TimeSpan.FromHours(3), soc: soc);
            ModuleOutcome m = Runner.Simulate(spec).Modules[spec.FaultModule];
            if (m.Events.PnrReached)
            {
                reached++;
            }
            else
            {
                hottestStall = Math.Max(hottestStall, m.MaxCoreC);
            }
        }

        output.WriteLine($"NMC severity 4 at SoC 0.80–0.98: {reached} of 10 reached PNR; hottest stalled core {hottestStall:F0} °C");
        Assert.True(reached > 0, "NMC severity-4 shorts should usually reach PNR (the README says 'sometimes stall')");
    }

    public static TheoryData<FaultType, int> BenignKinds => new()
    {
        { FaultType.None, 1 },
        { FaultType.HvacFailure, 1 },
        { FaultType.HighLoad, 1 },
        { FaultType.SummerAfternoon, 1 },
        { FaultType.CellImbalance, 1 },
        { FaultType.SensorFault, 1 },
        { FaultType.SensorFault, 3 },
    };

    [Theory]
    [MemberData(nameof(BenignKinds))]
    public void Benign_lookalikes_never_reach_pnr_nor_vent(FaultType kind, int severity)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            Chemistry chem = seed % 2 == 0 ? Chemistry.Nmc : Chemistry.Lfp;
            // 12 h covering the afternoon peak; HVAC failure from 10 min on.
            ScenarioSpec spec = TestScenarios.Make(chem, kind, severity, seed, TimeSpan.FromHours(12)) with
            {
                StartTime = new DateTimeOffset(2025, 7, 1, 8, 0, 0, TimeSpan.Zero),
            };
            ScenarioOutcome o = Runner.Simulate(spec);
            Assert.False(o.AnyPnr, spec.Id);
            Assert.All(o.Modules, m => Assert.False(m.Vented, $"{spec.Id} {m.ModuleId} vented"));
            Assert.All(o.Modules, m => Assert.True(m.MaxCoreC < 70.0, $"{spec.Id} {m.ModuleId} {m.MaxCoreC:F1} °C"));
        }
    }
}
