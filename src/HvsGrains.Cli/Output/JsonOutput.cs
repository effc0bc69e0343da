using System.Text.Json;
using System.Text.Json.Serialization;

namespace HvsGrains.Cli.Output;

/// <summary>The tool's JSON: camelCase, enums by name, indented (the shape of the front door's API).</summary>
public static class JsonOutput
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
