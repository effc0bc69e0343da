using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HvsGrains.Grains.Features;

/// <summary>
/// Writes a window array as base64 of its little-endian bytes: exact to the bit, and a tenth of the cost of
/// printing thousands of shortest-round-trip numbers at every snapshot. Reads that form or a plain JSON array
/// (snapshots written before this existed).
/// </summary>
public sealed class PackedArrayJsonConverter<T> : JsonConverter<T[]>
    where T : unmanaged
{
    public override T[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                var items = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(JsonSerializer.Deserialize<T>(ref reader, options));
                }

                return [.. items];
            case JsonTokenType.String:
                var bytes = reader.GetBytesFromBase64();
                if (bytes.Length % Marshal.SizeOf<T>() != 0)
                {
                    throw new JsonException($"{bytes.Length} bytes is not a whole number of {typeof(T).Name} values.");
                }

                var values = MemoryMarshal.Cast<byte, T>(bytes).ToArray();
                return BitConverter.IsLittleEndian ? values : throw new PlatformNotSupportedException("Snapshots are little-endian.");
            default:
                throw new JsonException($"Expected a base64 string or an array of {typeof(T).Name}, got {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Snapshots are little-endian.");
        }

        writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
