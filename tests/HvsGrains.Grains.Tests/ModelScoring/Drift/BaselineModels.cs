using System.Text;
using System.Text.Json;
using HvsGrains.Grains.Features;

namespace HvsGrains.Grains.Tests.ModelScoring.Drift;

/// <summary>Test models with a drift baseline: a small real ONNX model (TestModels) with <c>hvs.feature_baseline</c> added.</summary>
internal static class BaselineModels
{
    /// <summary>Every feature binned at the edges 0, 10, 20 with a quarter of the rows in each of the four bins.</summary>
    public static string QuarterBins(IReadOnlyList<string>? names = null) =>
        Json(names ?? FeatureSchema.Current.Names, _ => ([0, 10, 20], [0.25, 0.25, 0.25, 0.25]));

    public static string Json(IReadOnlyList<string> names, Func<int, (double[] Edges, double[] Proportions)> bins) =>
        JsonSerializer.Serialize(new
        {
            version = 1,
            rows = 1000,
            source = "test rows",
            features = names.Select((n, i) => new { name = n, edges = bins(i).Edges, proportions = bins(i).Proportions }),
        });

    public static byte[] Create(string version, string? baselineJson)
    {
        var model = TestModels.Create(FeatureSchema.Current.Names, FeatureSchema.Current.Hash, version);
        return baselineJson is null ? model : WithMetadata(model, "hvs.feature_baseline", baselineJson);
    }

    /// <summary>
    /// Appends one metadata_props entry (ModelProto field 14) to a serialized ONNX model: protobuf merges repeated
    /// fields that follow the message, so appending is adding. Hand-written: no ONNX model editor for .NET is in the registry.
    /// </summary>
    public static byte[] WithMetadata(byte[] model, string key, string value)
    {
        var entry = new MemoryStream();
        Field(entry, 1, Encoding.UTF8.GetBytes(key));
        Field(entry, 2, Encoding.UTF8.GetBytes(value));
        var output = new MemoryStream();
        output.Write(model);
        Field(output, 14, entry.ToArray());
        return output.ToArray();
    }

    /// <summary>A feature vector with the given values (others 0).</summary>
    public static FeatureVector Vector(Func<int, float> value) =>
        new(DateTimeOffset.UnixEpoch, [.. Enumerable.Range(0, FeatureSchema.Current.Count).Select(value)], 0, 0);

    private static void Field(Stream stream, int number, byte[] bytes)
    {
        Varint(stream, (ulong)((number << 3) | 2));
        Varint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void Varint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }
}
