using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;

namespace HvsGrains.Grains.Tests.Racks;

public sealed class PeerComparisonTests
{
    private readonly RackEventAssessor _assessor = new(new HazardRuleOptions(), new RackEvidenceOptions());

    [Fact]
    public void A_module_is_compared_with_the_median_of_the_others()
    {
        var deviations = PeerComparison.Compare([new(40, 6, 50.0), new(26, 0.1, 51.2), new(25, 0, 51.2), new(27, 0.2, 51.3), new(26, 0.1, 51.1)]);

        Assert.Equal(14, deviations[0].TempAboveMedianC!.Value, 3);
        Assert.Equal(5.9, deviations[0].RiseAboveMedianC!.Value, 3);
        Assert.Equal((51.2 - 50.0) / 51.2 * 100, deviations[0].VoltageSagPercent!.Value, 3);
        Assert.InRange(deviations[1].TempAboveMedianC!.Value, -1, 1); // the hot one does not pull its peers' yardstick
    }

    [Fact]
    public void Fewer_than_three_peers_give_no_comparison()
    {
        var deviations = PeerComparison.Compare([new(40, 6, 50.0), new(26, 0.1, 51.2), new(25, null, null)]);

        Assert.Null(deviations[0].TempAboveMedianC);
        Assert.Equal(PeerDeviation.None, deviations[2]);
    }

    [Fact]
    public void A_drifting_thermistor_stays_at_watch_and_a_module_running_away_reaches_warning()
    {
        Assert.Equal(HazardLevel.Watch, _assessor.PeerLevel(new PeerDeviation(8, 0.3, 0))); // hot but not rising faster than its peers
        Assert.Equal(HazardLevel.Warning, _assessor.PeerLevel(new PeerDeviation(6, 2.5, 0)));
        Assert.Equal(HazardLevel.Normal, _assessor.PeerLevel(new PeerDeviation(0.5, 0.2, 0.3)));
    }

    [Fact]
    public void Gas_counts_as_venting_only_with_hydrogen_or_a_heating_module()
    {
        var at = DateTimeOffset.UnixEpoch;
        var cool = Enumerable.Range(1, 8).Select(i => Report($"R_M{i:D2}", 26, at)).ToList();

        var exhaust = _assessor.Assess(cool, new GasSample(250, 2, 12, at), RackEventMemory.None, at).Event;
        Assert.Equal(HazardLevel.Watch, exhaust.Level);
        Assert.Null(exhaust.SuspectModuleId);

        // Off-gas with its hydrogen but no module heating: Warning at most, after the confirmation time.
        var memory = _assessor.Assess(cool, new GasSample(80, 60, 140, at), RackEventMemory.None, at).Memory;
        var vent = _assessor.Assess(cool, new GasSample(80, 60, 140, at.AddSeconds(30)), memory, at.AddSeconds(30)).Event;
        Assert.Equal(HazardLevel.Warning, vent.Level);

        var heating = cool.Select(m => m.ModuleId == "R_M04" ? m with { MaxSurfaceTempC = 60, RiseC = 12 } : m).ToList();
        memory = _assessor.Assess(heating, new GasSample(80, 60, 140, at), RackEventMemory.None, at).Memory;
        var event_ = _assessor.Assess(heating, new GasSample(80, 60, 140, at.AddSeconds(30)), memory, at.AddSeconds(30)).Event;
        Assert.Equal(HazardLevel.Critical, event_.Level);
        Assert.Equal("R_M04", event_.SuspectModuleId);
    }

    [Fact]
    public void A_one_reading_spike_does_not_raise_the_event()
    {
        var at = DateTimeOffset.UnixEpoch;
        var cool = Enumerable.Range(1, 8).Select(i => Report($"R_M{i:D2}", 26, at)).ToList();
        var spike = cool.Select(m => m.ModuleId == "R_M02" ? m with { Level = HazardLevel.Critical, MaxSurfaceTempC = 98, RiseC = 70 } : m).ToList();
        var (first, memory) = _assessor.Assess(spike, null, RackEventMemory.None, at);
        Assert.Equal(HazardLevel.Watch, first.Level);

        // Ten seconds later the thermistor reads 26 °C again; the module's rule still holds Critical, the rack does not.
        var after = cool.Select(m => m.ModuleId == "R_M02" ? m with { Level = HazardLevel.Critical } : m).ToList();
        var (second, _) = _assessor.Assess(after, null, memory, at.AddSeconds(10));
        Assert.True(second.Level <= HazardLevel.Watch);
    }

    private static ModuleReport Report(string id, double temp, DateTimeOffset at) =>
        new(id, "R", HazardLevel.Normal, temp, 0, null, null, at) { RiseC = 0.1, VoltageV = 51.2 };
}
