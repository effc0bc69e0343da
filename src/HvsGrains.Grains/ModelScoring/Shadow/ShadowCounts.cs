namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// Readings scored by both models and how far they agreed. "Alarming" is a level of Warning or above (what raises an
/// alarm): <see cref="SameAlarm"/> + <see cref="AlarmedByActiveOnly"/> + <see cref="AlarmedByShadowOnly"/> = <see cref="Compared"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.shadow-counts")]
public sealed record ShadowCounts(
    [Id(0)] long Compared,
    [Id(1)] long SameLevel,
    [Id(2)] long SameAlarm,
    [Id(3)] long AlarmedByActiveOnly,
    [Id(4)] long AlarmedByShadowOnly)
{
    public static ShadowCounts None { get; } = new(0, 0, 0, 0, 0);

    public ShadowCounts Add(ShadowCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Compared + other.Compared, SameLevel + other.SameLevel, SameAlarm + other.SameAlarm,
            AlarmedByActiveOnly + other.AlarmedByActiveOnly, AlarmedByShadowOnly + other.AlarmedByShadowOnly);
    }
}
