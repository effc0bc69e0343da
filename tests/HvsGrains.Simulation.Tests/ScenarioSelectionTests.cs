using HvsGrains.Simulation.Dataset;
using HvsGrains.Simulation.Physics;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

public sealed class ScenarioSelectionTests
{
    [Fact]
    public void Small_preset_has_every_fault_type_both_chemistries_and_the_lookalikes()
    {
        List<ScenarioSpec> specs = [.. ScenarioSelection.Small.Specs()];
        foreach (FaultType fault in Enum.GetValues<FaultType>())
        {
            foreach (Chemistry chem in Enum.GetValues<Chemistry>())
            {
                Assert.Contains(specs, s => s.Fault == fault && s.Chemistry == chem);
            }
        }

        // Every internal-short severity, for both chemistries.
        Assert.Equal(10, specs.Count(s => s.Fault == FaultType.InternalShort));
        Assert.Equal(ScenarioSelection.FaultsPerReplica + ScenarioSelection.BenignPerReplica, specs.Count);
        Assert.Equal(specs.Count, specs.Select(s => s.Id).Distinct().Count());
        Assert.All(specs, s => Assert.InRange(s.FaultStart, TimeSpan.FromTicks(s.Duration.Ticks / 10), TimeSpan.FromTicks(s.Duration.Ticks * 35 / 100)));

        // Small enough for a minute on two cores: under 60 module-days.
        Assert.True(specs.Sum(s => s.RackSize * s.Duration.TotalDays) < 60);
    }

    [Fact]
    public void Selection_text_overrides_the_preset()
    {
        ScenarioSelection s = ScenarioSelection.Parse("faults:200,benign:400", ScenarioSelection.Full);
        Assert.Equal(200, s.Faults);
        Assert.Equal(400, s.BenignRuns);
        Assert.Equal(TimeSpan.FromDays(1), s.BenignDuration);
        List<ScenarioSpec> specs = [.. s.Specs()];
        Assert.Equal(600, specs.Count);
        Assert.Equal(200, specs.Count(x => !x.Fault.IsBenign()));
        Assert.Equal(ScenarioCatalogue.Faults().First(), specs[0]);

        ScenarioSelection hours = ScenarioSelection.Parse("faults:3, benign:2, benign-hours:6", ScenarioSelection.Small);
        Assert.Equal(TimeSpan.FromHours(6), hours.BenignDuration);
        Assert.Equal("faults:3@4h,benign:2@6h", hours.ToString());
        Assert.Throws<FormatException>(() => ScenarioSelection.Parse("fault:3"));
        Assert.Throws<ArgumentException>(() => ScenarioSelection.Preset("huge"));
    }

    [Fact]
    public void Seed_changes_the_scenarios_but_not_the_mix()
    {
        List<ScenarioSpec> a = [.. ScenarioSelection.Small.Specs(0)], b = [.. ScenarioSelection.Small.Specs(7)];
        Assert.Equal(a.Select(s => (s.Fault, s.Chemistry, s.Severity)), b.Select(s => (s.Fault, s.Chemistry, s.Severity)));
        Assert.NotEqual(a.Select(s => s.Seed), b.Select(s => s.Seed));
        Assert.Equal(a, [.. ScenarioSelection.Small.Specs(0)]);
    }
}
