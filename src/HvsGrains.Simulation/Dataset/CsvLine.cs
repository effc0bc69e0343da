using System.Globalization;

namespace HvsGrains.Simulation.Dataset;

/// <summary>
/// Builds one CSV line in a reused buffer without allocating: invariant culture, shortest
/// round-trip text for doubles and floats ("R"), ISO 8601 UTC timestamps with a Z.
/// Values are never quoted, so callers pass only text without commas, quotes or line breaks.
/// </summary>
internal sealed class CsvLine
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";
    private char[] _buffer = new char[4096];
    private int _length;
    private int _fields;

    public ReadOnlySpan<char> Span => _buffer.AsSpan(0, _length);

    public void Clear() => (_length, _fields) = (0, 0);

    public void Text(string value)
    {
        Separator();
        Ensure(value.Length);
        value.AsSpan().CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    public void Number(double? value)
    {
        Separator();
        if (value is { } v)
        {
            Format(v);
        }
    }

    public void Number(float value)
    {
        Separator();
        int written;
        while (!value.TryFormat(_buffer.AsSpan(_length), out written, "R", CultureInfo.InvariantCulture))
        {
            Grow();
        }

        _length += written;
    }

    public void Integer(long value)
    {
        Separator();
        int written;
        while (!value.TryFormat(_buffer.AsSpan(_length), out written, default, CultureInfo.InvariantCulture))
        {
            Grow();
        }

        _length += written;
    }

    public void Timestamp(DateTimeOffset value)
    {
        Separator();
        int written;
        while (!value.UtcDateTime.TryFormat(_buffer.AsSpan(_length), out written, TimestampFormat, CultureInfo.InvariantCulture))
        {
            Grow();
        }

        _length += written;
    }

    /// <summary>Formats a timestamp exactly as rows do (for tests and the manifest).</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private void Format(double v)
    {
        int written;
        while (!v.TryFormat(_buffer.AsSpan(_length), out written, "R", CultureInfo.InvariantCulture))
        {
            Grow();
        }

        _length += written;
    }

    private void Separator()
    {
        if (_fields++ > 0)
        {
            Ensure(1);
            _buffer[_length++] = ',';
        }
    }

    private void Ensure(int extra)
    {
        while (_length + extra > _buffer.Length)
        {
            Grow();
        }
    }

    private void Grow() => Array.Resize(ref _buffer, _buffer.Length * 2);
}
