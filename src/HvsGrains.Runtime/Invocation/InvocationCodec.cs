using System.Text.Json;

namespace HvsGrains.Runtime.Invocation;

/// <summary>
/// The wire form of a <see cref="GrainInvocation"/>: JSON with each argument written as its
/// parameter's declared type, so a call can cross a network and be dispatched unchanged.
/// </summary>
public sealed class InvocationCodec(GrainTypeRegistry registry, JsonSerializerOptions? options = null)
{
    private readonly JsonSerializerOptions _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);

    public byte[] Serialize(GrainInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var method = registry.GetMethod(invocation.Target.Type, invocation.Method);
        if (invocation.Arguments.Length != method.ParameterTypes.Length)
        {
            throw new ArgumentException($"{invocation.Target.Type}.{invocation.Method} takes {method.ParameterTypes.Length} arguments, got {invocation.Arguments.Length}.");
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", invocation.Target.Type);
            writer.WriteString("key", invocation.Target.Key);
            writer.WriteString("method", invocation.Method);
            writer.WriteStartArray("args");
            for (var i = 0; i < invocation.Arguments.Length; i++)
            {
                JsonSerializer.Serialize(writer, invocation.Arguments[i], method.ParameterTypes[i], _options);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public GrainInvocation Deserialize(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = Required(root, "type").GetString()!;
        var key = Required(root, "key").GetString()!;
        var methodName = Required(root, "method").GetString()!;
        var method = registry.GetMethod(type, methodName);
        var args = Required(root, "args");
        if (args.GetArrayLength() != method.ParameterTypes.Length)
        {
            throw new JsonException($"{type}.{methodName} takes {method.ParameterTypes.Length} arguments, the payload has {args.GetArrayLength()}.");
        }

        var values = new object?[method.ParameterTypes.Length];
        var index = 0;
        foreach (var arg in args.EnumerateArray())
        {
            values[index] = arg.Deserialize(method.ParameterTypes[index], _options);
            index++;
        }

        return new GrainInvocation(new GrainId(type, key), methodName, values);
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new JsonException($"Invocation payload lacks '{name}'.");
}
