using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

public sealed class NeighbourHeatingTests
{
    [Theory]
    [InlineData(Chemistry.Nmc)]
    [InlineData(Chemistry.Lfp)]
    public void Runaway_module_heats_its_neighbours(Chemistry chem)
    {
        var runner = new ScenarioRunner();
        ScenarioSpec fault = TestScenarios.Make(chem, FaultType.InternalShort, 5, 3, TimeSpan.FromHours(4));
        ScenarioSpec control = fault with { Fault = FaultType.None };
        ScenarioOutcome f = runner.Simulate(fault), c = runner.Simulate(control);
        Assert.True(f.Modules[fault.FaultModule].Events.PnrReached);
        foreach (int nb in new[] { fault.FaultModule - 1, fault.FaultModule + 1 })
        {
            double rise = f.Modules[nb].MaxSurfaceC - c.Modules[nb].MaxSurfaceC;
            // NMC ≥ 1 K (seven times the 0.15 K thermistor noise). LFP ≥ 0.5 K: its runaway is
            // cooler and its heavy module body (~96 kJ/K) passes less heat on.
            double need = chem == Chemistry.Nmc ? 1.0 : 0.5;
            Assert.True(rise >= need, $"neighbour {nb} rose only {rise:F2} K");
        }
    }

    [Fact]
    public void Neighbour_coupling_conserves_heat_direction()
    {
        // A hot module alone in the middle of a cold rack: both neighbours warm, equally.
        var rack = new RackModel(ChemistryPreset.Nmc, 3, 25.0, 0.5);
        rack.States[1].SurfaceC = 200.0;
        var env = new RackEnvironment(25.0, 300.0, 6.0, 0.0);
        for (int i = 0; i < 600; i++)
        {
            rack.Step(1.0, in env);
        }

        Assert.True(rack.States[0].SurfaceC > 26.0);
        Assert.Equal(rack.States[0].SurfaceC, rack.States[2].SurfaceC, 6);
    }
}
