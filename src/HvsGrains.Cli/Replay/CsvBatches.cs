using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using CsvHelper.Configuration;

namespace HvsGrains.Cli.Replay;

/// <summary>
/// A recorded dataset (the simulator's CSV or the front door's CSV format; .csv.gz too) cut into batches of whole
/// records, each with the header, so every batch is a CSV the front door reads on its own. Records are passed on as
/// written (quoted fields and all); blank lines are skipped, as the front door skips them.
/// </summary>
public static class CsvBatches
{
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

        var header = Line(parser.RawRecord);
        var records = new List<string>(batchSize);
        var lines = new List<int>(batchSize);
        var first = 0;
        while (parser.Read())
        {
            records.Add(Line(parser.RawRecord));
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

    private static string Line(string raw) => raw.TrimEnd('\r', '\n');
}

/// <summary>
/// Records of a dataset with its header; <see cref="FirstRow"/> is the 0-based data row of the first record in the
/// file, and <see cref="Lines"/> the file line each record starts on (for the rejected-rows report).
/// </summary>
public sealed record CsvBatch(string Header, IReadOnlyList<string> Records, IReadOnlyList<int> Lines, int FirstRow)
{
    public string ToCsv() => Header + "\n" + string.Join("\n", Records) + "\n";
}
