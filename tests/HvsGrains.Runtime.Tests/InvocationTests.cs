using System.Text.Json;
using HvsGrains.Runtime.Invocation;
using HvsGrains.Runtime.Tests.Grains;
using HvsGrains.Runtime.Tests.Support;

namespace HvsGrains.Runtime.Tests;

public sealed class InvocationTests : IDisposable
{
    // One sample call per grain method; a new method without a sample fails the round-trip test.
    private static readonly Dictionary<string, object?[]> Samples = new()
    {
        ["ICounterGrain.Increment"] = [],
        ["ICounterGrain.IncrementSlowly"] = [],
        ["ICounterGrain.GetCount"] = [],
        ["ICounterGrain.GetMaxConcurrency"] = [],
        ["ICounterGrain.Add"] = [42],
        ["ICounterGrain.WaitAtGate"] = [],
        ["ICounterGrain.Fail"] = ["with \"quotes\" and ünïcode"],
        ["ICounterGrain.Record"] = [new Measurement("Module_Max_Surface_Temp_C", 61.25, new DateTimeOffset(2026, 7, 1, 14, 0, 0, TimeSpan.FromHours(2))), new[] { 1, 2, 3 }],
        ["ICounterGrain.Deactivate"] = [],
        ["ITallyGrain.Add"] = [-7],
        ["ITallyGrain.Get"] = [],
        ["ITallyGrain.Save"] = [],
        ["ITallyGrain.GetEtag"] = [],
        ["ITallyGrain.Clear"] = [],
        ["ITickerGrain.Start"] = [TimeSpan.FromSeconds(2.5)],
        ["ITickerGrain.GetTicks"] = [],
        ["ITickerGrain.GetMaxConcurrency"] = [],
        ["ITickerGrain.Busy"] = [],
    };

    private readonly TempDatabase _database = new();

    [Fact]
    public async Task Every_grain_method_invocation_round_trips_through_its_wire_form()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var registry = silo.Runtime.Registry;
        var methods = registry.InterfaceTypes.SelectMany(t => t.GetMethods().Select(m => $"{t.Name}.{m.Name}")).ToList();

        Assert.Equal(Samples.Keys.Order(), methods.Order());
        foreach (var method in methods)
        {
            var (type, name) = (method.Split('.')[0], method.Split('.')[1]);
            var invocation = new GrainInvocation(new GrainId(type, "RackA2_Module01"), name, Samples[method]);

            var wire = silo.Runtime.Codec.Serialize(invocation);
            var back = silo.Runtime.Codec.Deserialize(wire);

            Assert.Equal(invocation.Target, back.Target);
            Assert.Equal(invocation.Method, back.Method);
            Assert.Equal(JsonSerializer.Serialize(invocation.Arguments), JsonSerializer.Serialize(back.Arguments));
            for (var i = 0; i < back.Arguments.Length; i++)
            {
                Assert.IsType(invocation.Arguments[i]!.GetType(), back.Arguments[i]);
            }
        }
    }

    [Fact]
    public async Task A_deserialized_invocation_runs_on_the_grain_like_a_local_call()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var codec = silo.Runtime.Codec;
        var wire = codec.Serialize(new GrainInvocation(new GrainId("ICounterGrain", "remote"), "Record",
            [new Measurement("h2", 10, DateTimeOffset.UnixEpoch), new[] { 5 }]));

        var result = await silo.Runtime.InvokeAsync(codec.Deserialize(wire));

        Assert.Equal(new Measurement("h2", 15, DateTimeOffset.UnixEpoch), result);
    }

    [Fact]
    public async Task Malformed_wire_payloads_are_refused_with_a_clear_error()
    {
        await using var silo = await TestSilo.StartAsync(_database.Path);
        var codec = silo.Runtime.Codec;

        Assert.Contains("no method", Assert.Throws<ArgumentException>(() => codec.Deserialize("""{"type":"ICounterGrain","key":"k","method":"Nope","args":[]}"""u8)).Message);
        Assert.Contains("Unknown grain type", Assert.Throws<ArgumentException>(() => codec.Deserialize("""{"type":"IMissing","key":"k","method":"Add","args":[]}"""u8)).Message);
        Assert.Contains("takes 1 arguments", Assert.Throws<JsonException>(() => codec.Deserialize("""{"type":"ICounterGrain","key":"k","method":"Add","args":[]}"""u8)).Message);
        Assert.Contains("lacks 'key'", Assert.Throws<JsonException>(() => codec.Deserialize("""{"type":"ICounterGrain","method":"Add","args":[1]}"""u8)).Message);
    }

    [Fact]
    public void Grain_interfaces_with_overloads_or_non_task_returns_are_refused_at_registration()
    {
        Assert.Contains("more than one method named", Assert.Throws<ArgumentException>(() => new GrainTypeRegistry([new(typeof(IOverloaded), typeof(Overloaded))])).Message);
        Assert.Contains("returns Int32", Assert.Throws<InvalidOperationException>(() => new GrainTypeRegistry([new(typeof(ISynchronous), typeof(Synchronous))])).Message);
    }

    public void Dispose() => _database.Dispose();

    public interface IOverloaded : IGrainWithStringKey
    {
        Task Set(int value);

        Task Set(string value);
    }

    public interface ISynchronous : IGrainWithStringKey
    {
        int Get();
    }

    private sealed class Overloaded : Grain, IOverloaded
    {
        public Task Set(int value) => Task.CompletedTask;

        public Task Set(string value) => Task.CompletedTask;
    }

    private sealed class Synchronous : Grain, ISynchronous
    {
        public int Get() => 1;
    }
}
