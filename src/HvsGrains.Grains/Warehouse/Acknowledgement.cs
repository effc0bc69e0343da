namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// An operator's acknowledgement of an alarm. <paramref name="KeyName"/> is the API key that made the
/// call (the front door knows it; the body cannot forge it); <paramref name="Operator"/> is the name
/// the operator typed, when given.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.acknowledgement")]
public sealed record Acknowledgement(
    [Id(0)] string KeyName,
    [Id(1)] string? Operator = null,
    [Id(2)] AlarmVerdict? Verdict = null)
{
    /// <summary>Who, as the alarm shows it: the typed name, else the key's name.</summary>
    public string By => string.IsNullOrWhiteSpace(Operator) ? KeyName : Operator;
}

/// <summary>A verdict as kept for training: enough of the alarm to find its readings after the alarm itself is trimmed.</summary>
[GenerateSerializer, Immutable, Alias("hvs.alarm-verdict-record")]
public sealed record AlarmVerdictRecord(
    [Id(0)] string AlarmId,
    [Id(1)] AlarmKind Kind,
    [Id(2)] string RackId,
    [Id(3)] string? ModuleId,
    [Id(4)] Hazard.HazardLevel PeakLevel,
    [Id(5)] DateTimeOffset? CauseSeenAt,
    [Id(6)] DateTimeOffset RaisedAt,
    [Id(7)] AlarmVerdict Verdict,
    [Id(8)] string By,
    [Id(9)] string KeyName,
    [Id(10)] DateTimeOffset At);
