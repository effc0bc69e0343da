namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// The sensor time at which a module first reached Warning (or above) and Critical under each model since the shadow
/// started; null while it has not. Merging keeps the earliest time, so a time reported again (a module reactivated
/// elsewhere and replayed its readings) changes nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.module-alarm-times")]
public sealed record ModuleAlarmTimes(
    [Id(0)] string ModuleId,
    [Id(1)] DateTimeOffset? ActiveWarningAt,
    [Id(2)] DateTimeOffset? ShadowWarningAt,
    [Id(3)] DateTimeOffset? ActiveCriticalAt,
    [Id(4)] DateTimeOffset? ShadowCriticalAt)
{
    public ModuleAlarmTimes Merge(ModuleAlarmTimes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(ModuleId, Earliest(ActiveWarningAt, other.ActiveWarningAt), Earliest(ShadowWarningAt, other.ShadowWarningAt),
            Earliest(ActiveCriticalAt, other.ActiveCriticalAt), Earliest(ShadowCriticalAt, other.ShadowCriticalAt));
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is { } x && b is { } y ? (x <= y ? x : y) : a ?? b;
}
