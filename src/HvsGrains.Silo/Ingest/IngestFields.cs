using System.Collections.Frozen;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// The fields of a reading as the readers number them: sensor channels first (0..8, in
/// <see cref="SensorChannel"/> order), then the ids and the timestamp. Every field is found by its
/// JSON name, its seed CSV column or an older alias, ignoring case, so a JSON body may use the seed
/// column names and a CSV header the JSON names.
/// </summary>
internal static class IngestFields
{
    public const int ModuleId = SensorChannels.Count;
    public const int RackId = ModuleId + 1;
    public const int Timestamp = RackId + 1;
    public const int Count = Timestamp + 1;

    private static readonly string[] JsonNames =
        [.. SensorChannels.All.Select(c => c.JsonName), "moduleId", "rackId", "timestamp"];

    private static readonly string[] CsvColumns =
        [.. SensorChannels.All.Select(c => c.CsvColumn), "Module_ID", "Rack_ID", "Timestamp"];

    private static readonly FrozenDictionary<string, int> ByName = BuildNames();

    // Span lookup: known JSON property names are matched without allocating a string.
    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The camelCase name used in rejections, whatever name the sender used.</summary>
    public static string JsonName(int field) => JsonNames[field];

    /// <summary>The seed CSV column name, used when a required column is missing.</summary>
    public static string CsvColumn(int field) => CsvColumns[field];

    public static bool TryFind(ReadOnlySpan<char> name, out int field) => BySpan.TryGetValue(name, out field);

    private static FrozenDictionary<string, int> BuildNames()
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var field = 0; field < Count; field++)
        {
            names[JsonNames[field]] = field;
            names[CsvColumns[field]] = field;
        }

        foreach (var info in SensorChannels.All)
        {
            foreach (var alias in info.CsvAliases)
            {
                names[alias] = (int)info.Channel;
            }
        }

        return names.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }
}
