using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Tests.Racks;

public sealed class PropagationDetectorTests
{
    private readonly PropagationDetector _detector = new(new PropagationOptions());

    [Fact]
    public void A_hot_module_warming_its_neighbour_is_a_propagation_risk()
    {
        var risk = _detector.Assess([Module("RackA1_Module03", HazardLevel.Warning, 6), Module("RackA1_Module04", HazardLevel.Normal, 1.5), Module("RackA1_Module07", HazardLevel.Normal, 0.1)]);

        Assert.True(risk.Active);
        Assert.Equal(["RackA1_Module03", "RackA1_Module04"], risk.Modules);
        Assert.Contains("RackA1_Module03", risk.Detail);
    }

    [Fact]
    public void A_whole_rack_warming_slowly_or_a_lone_hot_module_is_not()
    {
        var hvacFailure = Enumerable.Range(1, 8).Select(i => Module($"RackA1_Module{i:D2}", HazardLevel.Normal, 0.2)).ToList();
        Assert.False(_detector.Assess(hvacFailure).Active);

        var lone = new[] { Module("RackA1_Module01", HazardLevel.Normal, 0.1), Module("RackA1_Module02", HazardLevel.Critical, 12), Module("RackA1_Module03", HazardLevel.Normal, 0.3) };
        Assert.False(_detector.Assess(lone).Active);

        var apart = new[] { Module("RackA1_Module01", HazardLevel.Watch, 3), Module("RackA1_Module02", HazardLevel.Normal, 0), Module("RackA1_Module03", HazardLevel.Watch, 3) };
        Assert.False(_detector.Assess(apart).Active);

        // Rack-wide off-gas puts every module at Critical, but none is heating: no module warms another.
        var sharedGas = Enumerable.Range(1, 4).Select(i => Module($"RackA1_Module{i:D2}", HazardLevel.Critical, -0.2)).ToList();
        Assert.False(_detector.Assess(sharedGas).Active);
    }

    [Fact]
    public void Reports_say_when_they_differ_materially()
    {
        var report = Module("M1", HazardLevel.Normal, 0.1);
        Assert.True(report.DiffersMateriallyFrom(null));
        Assert.False((report with { MaxSurfaceTempC = 30.5 }).DiffersMateriallyFrom(report));
        Assert.True((report with { MaxSurfaceTempC = 31.2 }).DiffersMateriallyFrom(report));
        Assert.True((report with { Level = HazardLevel.Watch }).DiffersMateriallyFrom(report));
        Assert.True((report with { HazardProbability = 0.2 }).DiffersMateriallyFrom(report with { HazardProbability = 0.1 }));
    }

    private static ModuleReport Module(string id, HazardLevel level, double rate) =>
        new(id, "RackA1", level, 30, rate, null, null, DateTimeOffset.UnixEpoch) { RiseC = rate * 5 }; // a steady rate for ten minutes
}
