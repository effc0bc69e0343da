using System.Globalization;

namespace HvsGrains.Benchmarks.Overload;

/// <summary>Command line of the overload mode.</summary>
internal sealed record OverloadArgs(
    int Modules,
    int Batch,
    int Connections,
    int WarmupSeconds,
    int Seconds,
    int ProbeIntervalMs,
    int Bursts,
    int BurstSenders,
    int BurstRequests,
    long BodyBytes,
    int BodyReadings,
    int SettleSeconds,
    string? SiloDll,
    bool Polite,
    IReadOnlyDictionary<string, string> Settings)
{
    public static OverloadArgs Parse(string[] args)
    {
        string? Get(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }

        int Int(string name, int fallback) => Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
        var settings = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--set" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                settings[key] = value;
            }
        }

        return new OverloadArgs(
            Int("--modules", 10_000),
            Int("--batch", 500),
            Int("--connections", 64),
            Int("--warmup", 5),
            Int("--seconds", 30),
            Int("--probe-interval-ms", 100),
            Int("--bursts", 3),
            Int("--burst-senders", 4),
            Int("--burst-requests", 8),
            Get("--body-bytes") is { } bytes ? long.Parse(bytes, CultureInfo.InvariantCulture) : 8 * 1024 * 1024,
            Int("--body-readings", 10_000),
            Int("--settle", 60),
            Get("--silo-dll"),
            args.Contains("--polite"),
            settings);
    }
}
