using System.Globalization;
using System.Text;
using HvsGrains.Benchmarks.Ingest;

namespace HvsGrains.Benchmarks.Overload;

/// <summary>
/// The largest batch the silo allows: <c>readings</c> readings (one per module, then again a second later)
/// padded with JSON whitespace to just under <c>bodyBytes</c>, with fixed-width timestamps patched per request so
/// every request carries new readings.
/// </summary>
internal sealed class LargeBodyBatch
{
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'+00:00'";
    private const string TimestampPlaceholder = "0000-00-00T00:00:00+00:00";

    private readonly byte[] _template;
    private readonly int[] _timestampOffsets;
    private readonly int[] _secondOffsets; // per reading: seconds after the request's first timestamp
    private readonly int _modules;

    public LargeBodyBatch(IReadOnlyList<string> moduleIds, int readings, long bodyBytes)
    {
        _modules = moduleIds.Count;
        string Reading(int i)
        {
            var module = moduleIds[i % moduleIds.Count];
            return $"{{\"moduleId\":\"{module}\",\"rackId\":\"{module[..module.IndexOf('_', StringComparison.Ordinal)]}\",\"timestamp\":\"{TimestampPlaceholder}\"," +
                "\"voltageV\":51.2,\"currentA\":1.5,\"socPercent\":60,\"avgSurfaceTempC\":25.1,\"maxSurfaceTempC\":25.3,\"ambientTempC\":22.4,\"coPpm\":1.0,\"h2Ppm\":0.3,\"vocPpm\":1.5}";
        }

        // Whitespace after every reading, so the body reaches the limit without more readings than a batch may hold.
        var unpadded = 2 + Enumerable.Range(0, readings).Sum(i => Reading(i).Length + 1);
        var padding = new string(' ', (int)Math.Max(0, (bodyBytes - 16 - unpadded) / Math.Max(1, readings)));
        var json = new StringBuilder((int)Math.Min(bodyBytes, int.MaxValue - 1));
        _timestampOffsets = new int[readings];
        json.Append('[');
        for (var i = 0; i < readings; i++)
        {
            var reading = Reading(i);
            _timestampOffsets[i] = json.Length + reading.IndexOf(TimestampPlaceholder, StringComparison.Ordinal);
            json.Append(reading).Append(padding);
            if (i + 1 < readings)
            {
                json.Append(',');
            }
        }

        json.Append(']');
        _template = Encoding.ASCII.GetBytes(json.ToString());
        _secondOffsets = [.. Enumerable.Range(0, readings).Select(i => i / _modules)];
    }

    public int Length => _template.Length;

    public int Readings => _timestampOffsets.Length;

    /// <summary>Seconds of sensor time one request covers (readings per module).</summary>
    public int SecondsPerRequest => _secondOffsets.Length == 0 ? 0 : _secondOffsets[^1] + 1;

    /// <summary>Writes the batch with readings from <paramref name="first"/> on into <paramref name="buffer"/> (at least <see cref="Length"/>).</summary>
    public void Write(DateTimeOffset first, byte[] buffer)
    {
        _template.CopyTo(buffer, 0);
        Span<byte> stamp = stackalloc byte[TimestampPlaceholder.Length];
        for (var i = 0; i < _timestampOffsets.Length; i++)
        {
            first.AddSeconds(_secondOffsets[i]).UtcDateTime.TryFormat(stamp, out _, TimestampFormat, CultureInfo.InvariantCulture);
            stamp.CopyTo(buffer.AsSpan(_timestampOffsets[i]));
        }
    }

    public static IReadOnlyList<string> ModuleIds(int modules) => [.. Enumerable.Range(0, modules).Select(IngestWorkload.ModuleId)];
}
