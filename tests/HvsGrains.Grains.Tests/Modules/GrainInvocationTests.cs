using System.Text.Json;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Runtime;
using HvsGrains.Runtime.Invocation;

namespace HvsGrains.Grains.Tests.Modules;

/// <summary>Every method of the warehouse grains survives the wire form a remote call will use.</summary>
public sealed class GrainInvocationTests : IDisposable
{
    private static readonly ModuleReport SampleModuleReport = new("RackA2_Module01", "RackA2", HazardLevel.Warning, 81.5, 6.2, 0.71, "max surface 81.5 °C", TestReadings.Start);

    // One sample call per grain method; a new method without a sample fails the test.
    private static readonly Dictionary<string, object?[]> Samples = new()
    {
        ["IModuleGrain.Ingest"] = [new LoggedReading(42, TestReadings.At(5, tempC: 33.3) with { CoPpm = null })],
        ["IModuleGrain.GetStatus"] = [],
        ["IRackGrain.ReportModule"] = [SampleModuleReport],
        ["IRackGrain.GetStatus"] = [],
        ["IWarehouseGrain.ReportRack"] = [new RackReport("RackA2", HazardLevel.Warning, 8, "RackA2_Module01", 81.5,
            new PropagationRisk(true, ["RackA2_Module01", "RackA2_Module02"], "neighbours"), [new ModuleAlert("RackA2_Module01", HazardLevel.Warning, "hot", TestReadings.Start)], TestReadings.Start)],
        ["IWarehouseGrain.GetStatus"] = [],
        ["IWarehouseGrain.GetAlarms"] = [AlarmState.Acknowledged],
        ["IWarehouseGrain.Acknowledge"] = ["ALM-000007", "Dana"],
    };

    private readonly DataFolder _data = new();

    [Fact]
    public async Task Every_warehouse_grain_method_round_trips_through_the_codec()
    {
        await using var silo = await DomainSilo.StartAsync(_data.Path);
        var registry = silo.Runtime.Registry;
        var methods = registry.InterfaceTypes.SelectMany(t => t.GetMethods().Select(m => $"{t.Name}.{m.Name}")).Order().ToList();

        Assert.Equal(Samples.Keys.Order(), methods);
        foreach (var method in methods)
        {
            var parts = method.Split('.');
            var invocation = new GrainInvocation(new GrainId(parts[0], "key"), parts[1], Samples[method]);
            var back = silo.Runtime.Codec.Deserialize(silo.Runtime.Codec.Serialize(invocation));
            Assert.Equal(JsonSerializer.Serialize(invocation.Arguments), JsonSerializer.Serialize(back.Arguments));
            Assert.Equal(invocation.Arguments.Select(a => a?.GetType()), back.Arguments.Select(a => a?.GetType()));
        }
    }

    public void Dispose() => _data.Dispose();
}
