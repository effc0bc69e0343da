using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

public sealed class DeterminismTests
{
    private static List<ModuleSample> Collect(ScenarioSpec spec) =>
        new ScenarioRunner(new RunnerOptions { SampleInterval = TimeSpan.FromSeconds(1) }).Run(spec).ToList();

    [Fact]
    public void Same_seed_gives_identical_output()
    {
        ScenarioSpec spec = TestScenarios.Make(Chemistry.Nmc, FaultType.InternalShort, 5, 7, TimeSpan.FromMinutes(40));
        List<ModuleSample> a = Collect(spec), b = Collect(spec);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i], b[i]);
        }
    }

    [Fact]
    public void Different_seed_gives_different_noise()
    {
        ScenarioSpec spec = TestScenarios.Make(Chemistry.Lfp, FaultType.None, 1, 1, TimeSpan.FromMinutes(5));
        List<ModuleSample> a = Collect(spec), b = Collect(spec with { Seed = spec.Seed + 1 });
        int differing = a.Zip(b).Count(p => p.First.Sensors.AvgSurfaceTempC != p.Second.Sensors.AvgSurfaceTempC);
        Assert.True(differing > a.Count * 0.9, $"{differing} of {a.Count} differ");
    }
}
