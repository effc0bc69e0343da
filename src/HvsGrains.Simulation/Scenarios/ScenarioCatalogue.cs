using HvsGrains.Simulation.Physics;

namespace HvsGrains.Simulation.Scenarios;

/// <summary>
/// Lazily enumerates scenario specs: faults of every severity for both chemistries, and
/// normal / look-alike days. Specs are small records; nothing runs until a runner is asked.
/// Every random choice comes from the spec's own seed, derived from (base seed, index).
/// </summary>
public static class ScenarioCatalogue
{
    private static readonly Chemistry[] Chemistries = [Chemistry.Nmc, Chemistry.Lfp];

    /// <summary>(fault, number of severities) for the fault part of the catalogue.</summary>
    private static readonly (FaultType Fault, int Severities)[] FaultKinds =
    [
        (FaultType.InternalShort, 5),
        (FaultType.Overcharge, 3),
        (FaultType.ExternalHeating, 3),
        (FaultType.CoolingFailure, 2),
    ];

    /// <summary>(condition, number of severities) for normal and look-alike operation.</summary>
    private static readonly (FaultType Fault, int Severities)[] BenignKinds =
    [
        (FaultType.None, 1),
        (FaultType.HvacFailure, 1),
        (FaultType.HighLoad, 1),
        (FaultType.SummerAfternoon, 1),
        (FaultType.CellImbalance, 1),
        (FaultType.SensorFault, 5),
        (FaultType.ExternalGas, 2),
    ];

    /// <summary>Fault scenarios: 13 fault/severity pairs × 2 chemistries × <paramref name="replicas"/>
    /// (520 for the default 20), 8 h each.</summary>
    public static IEnumerable<ScenarioSpec> Faults(int replicas = 20, ulong baseSeed = 0x5EED_0001)
    {
        int index = 0;
        for (int r = 0; r < replicas; r++)
        {
            foreach (Chemistry chem in Chemistries)
            {
                foreach ((FaultType fault, int sevs) in FaultKinds)
                {
                    for (int sev = 1; sev <= sevs; sev++)
                    {
                        yield return Create(chem, fault, sev, Mix(baseSeed, index), index, TimeSpan.FromHours(8));
                        index++;
                    }
                }
            }
        }
    }

    /// <summary>Benign days: 12 condition/severity pairs × 2 chemistries × <paramref name="replicas"/>
    /// one-day runs of 8-module racks (9600 module-days for the default 50).</summary>
    public static IEnumerable<ScenarioSpec> Benign(int replicas = 50, ulong baseSeed = 0x5EED_0002)
    {
        int index = 0;
        for (int r = 0; r < replicas; r++)
        {
            foreach (Chemistry chem in Chemistries)
            {
                foreach ((FaultType fault, int sevs) in BenignKinds)
                {
                    for (int sev = 1; sev <= sevs; sev++)
                    {
                        yield return Create(chem, fault, sev, Mix(baseSeed, index), index, TimeSpan.FromDays(1));
                        index++;
                    }
                }
            }
        }
    }

    /// <summary>Faults followed by benign days.</summary>
    public static IEnumerable<ScenarioSpec> All(int faultReplicas = 20, int benignReplicas = 50) =>
        Faults(faultReplicas).Concat(Benign(benignReplicas));

    /// <summary>Builds one spec; offsets, profiles and the affected module are drawn from the seed.</summary>
    public static ScenarioSpec Create(Chemistry chemistry, FaultType fault, int severity, ulong seed, int index, TimeSpan duration)
    {
        var rng = new SimRandom(seed, 0xCA7A);
        int rackSize = 8;
        double hours = duration.TotalHours;
        AmbientProfileKind ambient = fault switch
        {
            FaultType.HvacFailure => AmbientProfileKind.HvacFailure,
            FaultType.SummerAfternoon => AmbientProfileKind.SummerAfternoon,
            _ => rng.NextDouble() < 0.5 ? AmbientProfileKind.Controlled : AmbientProfileKind.DayCycle,
        };
        LoadProfileKind load = fault switch
        {
            FaultType.HighLoad or FaultType.CoolingFailure => LoadProfileKind.HighLoad,
            FaultType.Overcharge => LoadProfileKind.Idle,
            _ => (LoadProfileKind)(1 + (int)(rng.NextDouble() * 3)), // daily, high or regulation
        };
        return new ScenarioSpec
        {
            Id = $"{chemistry}-{fault}-S{severity}-{index:D5}",
            Chemistry = chemistry,
            Fault = fault,
            Severity = severity,
            Seed = seed,
            RackSize = rackSize,
            FaultModule = (int)(rng.NextDouble() * rackSize),
            FaultStart = TimeSpan.FromHours(rng.Uniform(0.1, 0.35) * hours),
            Duration = duration,
            Ambient = ambient,
            Load = load,
            RackId = $"Rack{(char)('A' + (index / 9 % 26))}{(index % 9) + 1}",
            // Start at a random hour of a summer day so faults meet every phase of the load cycle.
            StartTime = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddDays(index % 90).AddHours((int)(rng.NextDouble() * 24)),
            InitialSoc = fault == FaultType.Overcharge ? 0.95 : rng.Uniform(0.3, 0.95),
        };
    }

    private static ulong Mix(ulong a, int i)
    {
        ulong z = a + ((ulong)i * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        return z ^ (z >> 31);
    }
}
