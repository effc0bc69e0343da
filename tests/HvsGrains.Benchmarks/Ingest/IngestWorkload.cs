using System.Globalization;
using System.Text;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>
/// Pre-serialised JSON batches for POST /api/v1/readings, so the load client does no JSON work while it runs.
/// </summary>
/// <remarks>
/// Layout: modules are <c>Rack0001_Module01</c> … (racks of 8). A "round" gives every module exactly one
/// reading, all with the round's timestamp (<c>start + round</c> seconds, so each module sees readings 1 s apart
/// in timestamp order). A round is cut into <c>modules / batch</c> slices of consecutive modules, so one batch
/// holds <c>batch</c> different modules (500 modules of 62.5 racks), one reading each; batch k is slice
/// <c>k % slices</c> of round <c>k / slices</c>. Sensor values are a per-module base plus noise; the noise comes
/// from one of <see cref="Variants"/> pre-made variants per slice (variant = round % Variants), so values
/// vary from second to second without generating JSON during the run. The timestamp of every reading has
/// a fixed width and is patched into a copy of the template just before sending (one format per batch).
/// </remarks>
internal sealed class IngestWorkload
{
    public const int Variants = 8;
    public const int ModulesPerRack = 8;

    // Fixed width (25 chars) ISO 8601 with an explicit offset, as gateways send it.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'+00:00'";
    private const string TimestampPlaceholder = "0000-00-00T00:00:00+00:00";

    private readonly byte[][] _templates; // [slice * Variants + variant]
    private readonly int[][] _timestampOffsets; // per template: byte offset of each reading's timestamp (numbers differ in width)

    public IngestWorkload(int modules, int batch, DateTimeOffset start, int seed = 42)
    {
        if (modules % batch != 0)
        {
            throw new ArgumentException($"modules ({modules}) must be a multiple of batch ({batch})", nameof(batch));
        }

        Modules = modules;
        Batch = batch;
        Start = start;
        Slices = modules / batch;
        ModuleIds = [.. Enumerable.Range(0, modules).Select(ModuleId)];
        var random = new Random(seed);
        var bases = Enumerable.Range(0, modules).Select(_ => ModuleBase.Random(random)).ToArray();
        _templates = new byte[Slices * Variants][];
        _timestampOffsets = new int[Slices * Variants][];
        for (var slice = 0; slice < Slices; slice++)
        {
            for (var variant = 0; variant < Variants; variant++)
            {
                var (bytes, offsets) = Serialize(slice, bases, random);
                _templates[(slice * Variants) + variant] = bytes;
                _timestampOffsets[(slice * Variants) + variant] = offsets;
            }
        }
    }

    public int Modules { get; }

    public int Batch { get; }

    public int Slices { get; }

    public DateTimeOffset Start { get; }

    public IReadOnlyList<string> ModuleIds { get; }

    public int MaxBatchBytes => _templates.Max(t => t.Length);

    public long TemplateBytes => _templates.Sum(t => (long)t.Length);

    public double AverageBatchBytes => _templates.Average(t => t.Length);

    public static string ModuleId(int module) =>
        string.Create(CultureInfo.InvariantCulture, $"{RackId(module)}_Module{(module % ModulesPerRack) + 1:D2}");

    public static string RackId(int module) =>
        string.Create(CultureInfo.InvariantCulture, $"Rack{(module / ModulesPerRack) + 1:D4}");

    /// <summary>The timestamp of round <paramref name="round"/>.</summary>
    public DateTimeOffset TimestampOf(long round) => Start.AddSeconds(round);

    /// <summary>Writes batch <paramref name="k"/> into <paramref name="buffer"/> and returns its length.</summary>
    public int Write(long k, byte[] buffer)
    {
        var round = k / Slices;
        var slice = (int)(k % Slices);
        var index = (slice * Variants) + (int)(round % Variants);
        var template = _templates[index];
        template.CopyTo(buffer, 0);
        Span<byte> stamp = stackalloc byte[TimestampPlaceholder.Length];
        TimestampOf(round).UtcDateTime.TryFormat(stamp, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        if (written != stamp.Length)
        {
            throw new InvalidOperationException("timestamp width changed");
        }

        foreach (var offset in _timestampOffsets[index])
        {
            stamp.CopyTo(buffer.AsSpan(offset));
        }

        return template.Length;
    }

    private (byte[] Bytes, int[] Offsets) Serialize(int slice, ModuleBase[] bases, Random random)
    {
        var json = new StringBuilder(Batch * 330);
        var offsets = new int[Batch];
        json.Append('[');
        for (var i = 0; i < Batch; i++)
        {
            var module = (slice * Batch) + i;
            var b = bases[module];
            double Noise(double amplitude) => (random.NextDouble() - 0.5) * 2 * amplitude;
            var avg = b.SurfaceC + Noise(0.05);
            var max = avg + 0.2 + Noise(0.05);
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append(CultureInfo.InvariantCulture, $"{{\"moduleId\":\"{ModuleIds[module]}\",\"rackId\":\"{RackId(module)}\",\"timestamp\":\"");
            offsets[i] = json.Length; // ASCII only: chars == bytes
            json.Append(TimestampPlaceholder);
            json.Append(CultureInfo.InvariantCulture,
                $"\",\"voltageV\":{b.VoltageV + Noise(0.02):F3},\"currentA\":{b.CurrentA + Noise(0.5):F2},\"socPercent\":{b.SocPercent:F2}," +
                $"\"avgSurfaceTempC\":{avg:F2},\"maxSurfaceTempC\":{max:F2},\"ambientTempC\":{b.AmbientC + Noise(0.05):F2}," +
                $"\"coPpm\":{b.CoPpm + Noise(0.1):F2},\"h2Ppm\":{b.H2Ppm + Noise(0.05):F2},\"vocPpm\":{b.VocPpm + Noise(0.2):F2}}}");
        }

        json.Append(']');
        var bytes = Encoding.UTF8.GetBytes(json.ToString());
        return bytes.Length == json.Length ? (bytes, offsets) : throw new InvalidOperationException("the batch must be ASCII");
    }

    /// <summary>A healthy module at rest-ish: 16s LFP (≈ 51 V), a few amps, room temperature, trace gases.</summary>
    private readonly record struct ModuleBase(double VoltageV, double CurrentA, double SocPercent, double SurfaceC, double AmbientC, double CoPpm, double H2Ppm, double VocPpm)
    {
        public static ModuleBase Random(Random random) => new(
            51.0 + (random.NextDouble() * 2),
            (random.NextDouble() - 0.5) * 20,
            40 + (random.NextDouble() * 50),
            24 + (random.NextDouble() * 4),
            22 + random.NextDouble(),
            0.5 + random.NextDouble(),
            0.2 + (random.NextDouble() * 0.3),
            1 + random.NextDouble());
    }
}
