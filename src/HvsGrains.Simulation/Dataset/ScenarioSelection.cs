using System.Globalization;
using HvsGrains.Simulation.Scenarios;

namespace HvsGrains.Simulation.Dataset;

/// <summary>
/// Which scenarios of the catalogue a dataset contains: the first <see cref="Faults"/> fault runs
/// and the first <see cref="BenignRuns"/> normal / look-alike runs (catalogue order cycles through
/// every chemistry, fault type and severity before repeating, so any prefix is balanced).
/// </summary>
public sealed record ScenarioSelection
{
    /// <summary>Fault runs in one catalogue replica: 13 fault/severity pairs × 2 chemistries.</summary>
    public const int FaultsPerReplica = 26;

    /// <summary>Benign runs in one catalogue replica: 12 condition/severity pairs × 2 chemistries.</summary>
    public const int BenignPerReplica = 24;

    public int Faults { get; init; }

    public int BenignRuns { get; init; }

    /// <summary>Length of a fault run (catalogue default 8 h; the fault starts at 10–35 % of it).</summary>
    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromHours(8);

    /// <summary>Length of a benign run (catalogue default one day).</summary>
    public TimeSpan BenignDuration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>26 fault runs (every fault type, severity and chemistry once) of 4 h and 24 benign runs
    /// (every look-alike, both chemistries) of 2 h: under a minute on two cores.</summary>
    public static ScenarioSelection Small { get; } = new()
    {
        Faults = FaultsPerReplica,
        BenignRuns = BenignPerReplica,
        FaultDuration = TimeSpan.FromHours(4),
        BenignDuration = TimeSpan.FromHours(2),
    };

    /// <summary>130 fault runs of 8 h (5 replicas) and 48 benign days (384 module-days): a few minutes.</summary>
    public static ScenarioSelection Medium { get; } = new() { Faults = 5 * FaultsPerReplica, BenignRuns = 2 * BenignPerReplica };

    /// <summary>The whole catalogue: 520 fault runs and 1200 benign days (9600 module-days).</summary>
    public static ScenarioSelection Full { get; } = new() { Faults = 20 * FaultsPerReplica, BenignRuns = 50 * BenignPerReplica };

    /// <summary>A preset by name: small, medium or full.</summary>
    public static ScenarioSelection Preset(string name) => name.ToUpperInvariant() switch
    {
        "SMALL" => Small,
        "MEDIUM" => Medium,
        "FULL" => Full,
        _ => throw new ArgumentException($"Unknown size '{name}'; use small, medium or full.", nameof(name)),
    };

    /// <summary>
    /// Parses "faults:200,benign:400[,fault-hours:8][,benign-hours:24]" on top of <paramref name="baseline"/>
    /// (keys not given keep the baseline's value).
    /// </summary>
    public static ScenarioSelection Parse(string text, ScenarioSelection? baseline = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ScenarioSelection s = baseline ?? new ScenarioSelection();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = part.Split(':', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < 0)
            {
                throw new FormatException($"'{part}' is not key:number (e.g. faults:200,benign:400).");
            }

            s = kv[0].ToUpperInvariant() switch
            {
                "FAULTS" => s with { Faults = checked((int)v) },
                "BENIGN" => s with { BenignRuns = checked((int)v) },
                "FAULT-HOURS" => s with { FaultDuration = TimeSpan.FromHours(v) },
                "BENIGN-HOURS" => s with { BenignDuration = TimeSpan.FromHours(v) },
                _ => throw new FormatException($"Unknown key '{kv[0]}' (faults, benign, fault-hours, benign-hours)."),
            };
        }

        return s;
    }

    /// <summary>The selected specs, faults first; <paramref name="seed"/> 0 gives the catalogue's own seeds.</summary>
    public IEnumerable<ScenarioSpec> Specs(ulong seed = 0)
    {
        ulong mix = seed * 0x9E3779B97F4A7C15UL;
        int faultReplicas = (Faults + FaultsPerReplica - 1) / FaultsPerReplica;
        int benignReplicas = (BenignRuns + BenignPerReplica - 1) / BenignPerReplica;
        IEnumerable<ScenarioSpec> faults = ScenarioCatalogue.Faults(faultReplicas, 0x5EED_0001UL ^ mix)
            .Take(Faults)
            .Select(s => WithDuration(s, FaultDuration));
        IEnumerable<ScenarioSpec> benign = ScenarioCatalogue.Benign(benignReplicas, 0x5EED_0002UL ^ mix)
            .Take(BenignRuns)
            .Select(s => WithDuration(s, BenignDuration));
        return faults.Concat(benign);
    }

    /// <summary>Short text for the manifest, e.g. "faults:26@4h,benign:20@2h".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"faults:{Faults}@{FaultDuration.TotalHours:0.##}h,benign:{BenignRuns}@{BenignDuration.TotalHours:0.##}h");

    // The fault start scales with the run length as in the catalogue (10–35 % of it).
    private static ScenarioSpec WithDuration(ScenarioSpec spec, TimeSpan duration) =>
        spec.Duration == duration
            ? spec
            : spec with
            {
                Duration = duration,
                FaultStart = TimeSpan.FromTicks((long)(spec.FaultStart.Ticks * (duration.TotalSeconds / spec.Duration.TotalSeconds))),
            };
}
