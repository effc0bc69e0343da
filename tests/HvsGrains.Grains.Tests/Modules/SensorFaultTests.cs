using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Cluster;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Tests.Modules;

/// <summary>One implausible channel costs that channel, not the reading, and is reported as a sensor-fault advisory.</summary>
[Collection(SingleSiloCollection.Name)]
public sealed class SensorFaultTests(WarehouseCluster cluster)
{
    [Fact]
    public async Task A_thermistor_leaping_to_118_beside_a_30_degree_surface_is_imputed_and_named_in_an_advisory_not_a_hazard()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var calm = Hot.Calm(moduleId, rack, 12).Select(r => r with { AvgSurfaceTempC = 30, MaxSurfaceTempC = 30.5 }).ToList();
        var spike = calm[^1] with { Timestamp = calm[^1].Timestamp.AddSeconds(5), MaxSurfaceTempC = 118, AvgSurfaceTempC = 30.1, VoltageV = 50.9 };
        await cluster.IngestAsync([.. calm, spike]);

        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 13));
        var status = (await module.GetStatus())!;
        Assert.Equal(HazardLevel.Normal, status.Level);
        var fault = Assert.Single(status.SensorFaults!);
        Assert.Equal("maxSurfaceTempC", fault.Channel);
        Assert.Contains("118", fault.Reason);
        Assert.Equal(30.5f, status.Features["Module_Max_Surface_Temp_C"]); // imputed from the last good value
        Assert.Equal(30.1f, status.Features["Module_Avg_Surface_Temp_C"], 3); // the other channels as measured
        Assert.Equal(50.9f, status.Features["Module_Voltage_V"], 3);

        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        Alarm? advisory = null;
        Assert.True(await Eventually.HoldsAsync(async () => (advisory = (await warehouse.GetAlarms(null, null)).SingleOrDefault(a => a.RackId == rack)) is not null));
        Assert.Equal((AlarmKind.SensorFault, HazardLevel.Watch, moduleId, spike.Timestamp), (advisory!.Kind, advisory.Level, advisory.ModuleId, advisory.CauseSeenAt));
        Assert.Contains("maxSurfaceTempC", advisory.Reason);
    }

    [Fact]
    public async Task A_channel_out_of_its_physical_range_is_a_fault_until_it_has_been_plausible_for_the_hold()
    {
        var rack = TestReadings.NewRack();
        var moduleId = TestReadings.ModuleOf(rack);
        var readings = Hot.Calm(moduleId, rack, 3);
        readings[1] = readings[1].With(SensorChannel.Co, -40);
        await cluster.IngestAsync(readings);
        var module = cluster.Grains.GetGrain<IModuleGrain>(moduleId);
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 3));
        var status = (await module.GetStatus())!;
        var fault = Assert.Single(status.SensorFaults!);
        Assert.Equal("coPpm", fault.Channel);
        Assert.Contains("outside the physically possible range", fault.Reason);
        Assert.Equal(1f, status.Features["Sim_OffGas_CO_ppm_proxy"]); // the last good value, not -40

        await cluster.IngestAsync([TestReadings.At(SensorFaultWatch.Hold.TotalSeconds + 60, module: moduleId, rack: rack)]);

        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())!.SensorFaults is { Count: 0 }));
        var warehouse = cluster.Grains.GetGrain<IWarehouseGrain>(new WarehouseOptions().SiteId);
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await warehouse.GetAlarms(null, null)).SingleOrDefault(a => a.RackId == rack) is { Kind: AlarmKind.SensorFault, State: AlarmState.Cleared }));
    }

    [Theory]
    [InlineData(30, 29.5, 118, 30, true)] // the thermistor spike
    [InlineData(30, 29.5, 45, 30, false)] // a step, not a leap
    [InlineData(30, 29.5, 70, 35, false)] // the whole surface heats: the average moved
    [InlineData(80, 60, 120, 60.5, false)] // already a hotspot (spread 20 °C): runaway may leap, the rules decide
    public void The_max_surface_is_implausible_only_when_it_leaps_from_a_calm_module_alone(double lastMax, double lastAvg, double max, double avg, bool implausible)
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        state.Apply(TestReadings.At(0) with { MaxSurfaceTempC = lastMax, AvgSurfaceTempC = lastAvg });

        var why = SurfaceCrossCheck.ImplausibleMaxSurface(TestReadings.At(10) with { MaxSurfaceTempC = max, AvgSurfaceTempC = avg }, state.Current);

        Assert.Equal(implausible, why is not null);
    }
}
