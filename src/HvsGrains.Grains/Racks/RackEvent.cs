using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// One physical event in a rack, as the rack grain judges it from all its modules and its gas: the level,
/// the module most likely at fault (null when the evidence names none, e.g. gas without a heating module),
/// the evidence, and the other modules affected. One event gives one alarm, escalating in place.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.rack-event")]
public sealed record RackEvent(
    [Id(0)] HazardLevel Level,
    [Id(1)] string? SuspectModuleId,
    [Id(2)] string Summary,
    [Id(3)] IReadOnlyList<string> Evidence,
    [Id(4)] IReadOnlyList<string> AffectedModules,
    [Id(5)] DateTimeOffset At)
{
    public static RackEvent Quiet(DateTimeOffset at) => new(HazardLevel.Normal, null, "Nothing above Normal", [], [], at);

    public bool DiffersMateriallyFrom(RackEvent? previous) =>
        previous is null
        || previous.Level != Level
        || previous.SuspectModuleId != SuspectModuleId
        || !previous.AffectedModules.SequenceEqual(AffectedModules, StringComparer.Ordinal)
        || !SameKinds(previous.Evidence, Evidence);

    /// <summary>True when both list the same kinds of evidence ("peer:", "gas:" …); the figures after the kind change every report.</summary>
    public static bool SameKinds(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Select(Kind).SequenceEqual(b.Select(Kind), StringComparer.Ordinal);
    }

    private static string Kind(string evidence) => evidence.Split(':', 2)[0];
}
