using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using CsvHelper.Configuration;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Cli.Replay;

/// <summary>
/// A recorded dataset (the simulator's CSV or the front door's CSV format; .csv.gz too) cut into batches of records,
/// each with the header, so every batch is a CSV the front door reads on its own. Only the columns the front door
/// reads are sent, the first of each: the simulator's dataset repeats the sensor columns among its features, which
/// the front door refuses as a field given twice, and the features and labels would only make the batches larger.
/// Blank lines are skipped, as the front door skips them, so a reading's index in its batch is its record's.
/// </summary>
public static class CsvBatches
{
    /// <summary>Every name the front door knows a reading's fields by (ignoring case), mapped to the field.</summary>
    private static readonly Dictionary<string, string> FieldByName = BuildFieldNames();

    public static StreamReader Open(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Stream stream = file.OpenRead();
        if (file.Name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        return new StreamReader(stream);
    }

    /// <summary>The number of data records (a first pass, for progress).</summary>
    public static int Count(FileInfo file)
    {
        using var reader = Open(file);
        using var parser = new CsvParser(reader, Configuration);
        var records = 0;
        while (parser.Read())
        {
            records++;
        }

        return Math.Max(0, records - 1);
    }

    public static IEnumerable<CsvBatch> Read(FileInfo file, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        using var reader = Open(file);
        using var parser = new CsvParser(reader, Configuration);
        if (!parser.Read())
        {
            yield break;
        }

        var columns = FrontDoorColumns(parser.Record ?? []);
        var header = Join(columns.Select(c => c.Name));
        var records = new List<string>(batchSize);
        var lines = new List<int>(batchSize);
        var first = 0;
        while (parser.Read())
        {
            var fields = parser.Record ?? [];
            records.Add(Join(columns.Select(c => c.Index < fields.Length ? fields[c.Index] : "")));
            lines.Add(parser.RawRow);
            if (records.Count == batchSize)
            {
                yield return new CsvBatch(header, [.. records], [.. lines], first);
                first += records.Count;
                records.Clear();
                lines.Clear();
            }
        }

        if (records.Count > 0)
        {
            yield return new CsvBatch(header, [.. records], [.. lines], first);
        }
    }

    private static CsvConfiguration Configuration => new(CultureInfo.InvariantCulture) { IgnoreBlankLines = true, BadDataFound = null };

    private static List<(int Index, string Name)> FrontDoorColumns(string[] header)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var columns = new List<(int Index, string Name)>();
        for (var i = 0; i < header.Length; i++)
        {
            if (FieldByName.TryGetValue(header[i].Trim(), out var field) && seen.Add(field))
            {
                columns.Add((i, header[i].Trim()));
            }
        }

        return columns;
    }

    private static Dictionary<string, string> BuildFieldNames()
    {
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Timestamp"] = "timestamp",
            ["Module_ID"] = "moduleId",
            ["moduleId"] = "moduleId",
            ["Rack_ID"] = "rackId",
            ["rackId"] = "rackId",
        };
        foreach (var channel in SensorChannels.All)
        {
            foreach (var name in channel.CsvAliases.Append(channel.CsvColumn).Append(channel.JsonName))
            {
                names[name] = channel.JsonName;
            }
        }

        return names;
    }

    private static string Join(IEnumerable<string> fields) => string.Join(',', fields.Select(Quote));

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// Records of a dataset with its header; <see cref="FirstRow"/> is the 0-based data row of the first record in the
/// file, and <see cref="Lines"/> the file line each record starts on (for the rejected-rows report).
/// </summary>
public sealed record CsvBatch(string Header, IReadOnlyList<string> Records, IReadOnlyList<int> Lines, int FirstRow)
{
    public string ToCsv() => Header + "\n" + string.Join("\n", Records) + "\n";
}
