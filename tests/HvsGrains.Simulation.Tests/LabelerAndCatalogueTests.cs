using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Tests;

public sealed class LabelerAndCatalogueTests
{
    [Fact]
    public void Labeler_marks_window_before_pnr_minus_guard()
    {
        var l = new HazardLabeler();
        var pnr = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(0, l.Label(pnr.AddMinutes(-21), pnr));
        Assert.Equal(1, l.Label(pnr.AddMinutes(-20), pnr));
        Assert.Equal(1, l.Label(pnr.AddSeconds(-30), pnr));
        Assert.Equal(0, l.Label(pnr.AddSeconds(-29), pnr));
        Assert.Equal(0, l.Label(pnr.AddMinutes(5), pnr));
        Assert.Equal(0, l.Label(pnr, null));
    }

    [Fact]
    public void Catalogue_is_large_lazy_and_unique()
    {
        List<ScenarioSpec> faults = ScenarioCatalogue.Faults().ToList();
        List<ScenarioSpec> benign = ScenarioCatalogue.Benign().ToList();
        Assert.True(faults.Count >= 500, $"{faults.Count} faults");
        double moduleDays = benign.Sum(s => s.RackSize * s.Duration.TotalDays);
        Assert.True(moduleDays >= 5000, $"{moduleDays} module-days");
        Assert.Equal(faults.Count + benign.Count, faults.Concat(benign).Select(s => s.Id).Distinct().Count());
        Assert.Matches("^Rack[A-Z][1-9]_Module0[1-8]$", faults[0].ModuleId(faults[0].FaultModule));
        Assert.Equal(faults[17], ScenarioCatalogue.Faults().ElementAt(17)); // deterministic
    }
}
