using System.Text.Json;
using System.Text.Json.Serialization;
using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.Features;

public class PackedArrayJsonConverterTests
{
    [Fact]
    public void Awkward_values_come_back_to_the_bit()
    {
        var doubles = new[] { 0.1 + 0.2, -0.0, double.Epsilon, double.MaxValue, 1e-310, double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001) };
        var floats = new[] { 0.1f, -0.0f, float.Epsilon, float.MaxValue, 1e-40f, float.NegativeInfinity };
        var longs = new[] { long.MinValue, 0, 638_993_000_000_000_001 };

        var back = JsonSerializer.Deserialize<Packed>(JsonSerializer.Serialize(new Packed(doubles, floats, longs)))!;

        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), back.Doubles.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(floats.Select(BitConverter.SingleToInt32Bits), back.Floats.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(longs, back.Longs);
    }

    [Fact]
    public void Arrays_are_written_packed_and_the_plain_form_of_older_snapshots_still_reads()
    {
        var packed = JsonSerializer.Serialize(new Packed([1.5, -2.25], [3.5f], [7]));
        var older = JsonSerializer.Deserialize<Packed>("""{"Doubles":[1.5,-2.25],"Floats":[3.5],"Longs":[7]}""")!;

        Assert.DoesNotContain("[", packed, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Deserialize<Packed>(packed)!.Doubles, older.Doubles);
        Assert.Equal([3.5f], older.Floats);
        Assert.Equal([7L], older.Longs);
    }

    [Theory]
    [InlineData("""{"Doubles":"AAAA","Floats":[],"Longs":[]}""")] // 3 bytes: not a whole double
    [InlineData("""{"Doubles":42,"Floats":[],"Longs":[]}""")]
    [InlineData("""{"Doubles":"not base64!","Floats":[],"Longs":[]}""")]
    public void A_damaged_array_is_refused(string json)
    {
        Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<Packed>(json));
    }

    [Fact]
    public void A_module_snapshot_round_trips_through_the_packed_form()
    {
        var state = new ModuleFeatureState(TestReadings.Module);
        for (var i = 0; i < 300; i++)
        {
            state.Apply(TestReadings.At(i * 3, tempC: 25 + (i * 0.037)));
        }

        var json = JsonSerializer.Serialize(state.ExportSnapshot(), JsonSerializerOptions.Web);
        var restored = ModuleFeatureState.FromSnapshot(JsonSerializer.Deserialize<ModuleFeatureSnapshot>(json, JsonSerializerOptions.Web)!);
        state.Apply(TestReadings.At(900, tempC: 40));
        restored.Apply(TestReadings.At(900, tempC: 40));

        Assert.Equal(state.Current!.Values, restored.Current!.Values);
        Assert.Contains("\"shortValues\":\"", json, StringComparison.Ordinal);
    }

    private sealed record Packed(
        [property: JsonConverter(typeof(PackedArrayJsonConverter<double>))] double[] Doubles,
        [property: JsonConverter(typeof(PackedArrayJsonConverter<float>))] float[] Floats,
        [property: JsonConverter(typeof(PackedArrayJsonConverter<long>))] long[] Longs);
}
