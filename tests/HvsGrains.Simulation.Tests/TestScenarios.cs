using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

/// <summary>Small, fast specs for the tests (short racks and runs keep the suite under a minute).</summary>
internal static class TestScenarios
{
    public static ScenarioSpec Make(Chemistry chem, FaultType fault, int severity, int seed, TimeSpan duration, int rackSize = 3, double soc = 0.9)
    {
        ScenarioSpec spec = ScenarioCatalogue.Create(chem, fault, severity, (ulong)(1000 + seed), seed, duration);
        return spec with
        {
            RackSize = rackSize,
            FaultModule = rackSize / 2,
            FaultStart = TimeSpan.FromMinutes(10),
            InitialSoc = soc,
        };
    }
}
