using System.Globalization;

namespace HvsGrains.Cli.Output;

/// <summary>A plain text table: a header row, left-aligned columns two spaces apart, "-" for missing values.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public Table Add(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        _rows.Add([.. cells.Select(Format)]);
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(headers))
        {
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>Key-value lines ("Level:  Critical"), for one object.</summary>
    public static void WritePairs(TextWriter writer, params (string Key, object? Value)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(pairs);
        var width = pairs.Max(p => p.Key.Length) + 1;
        foreach (var (key, value) in pairs)
        {
            writer.WriteLine($"{(key + ":").PadRight(width)}  {Format(value)}");
        }
    }

    public static string Format(object? value) => value switch
    {
        null => "-",
        DateTimeOffset time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        float number => number.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
