using System.ComponentModel;
using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Warehouse;

/// <summary>Where an alarm is in its life: raised (open), acknowledged by a person, or cleared.</summary>
[GenerateSerializer, Alias("hvs.alarm-state")]
public enum AlarmState
{
    Open,
    Acknowledged,
    Cleared,
}

/// <summary>What an alarm is about.</summary>
[GenerateSerializer, Alias("hvs.alarm-kind")]
public enum AlarmKind
{
    /// <summary>A module at Warning or above.</summary>
    ModuleHazard,

    /// <summary>Neighbouring modules of a rack heating together.</summary>
    Propagation,

    /// <summary>An advisory, not a hazard: a sensor channel of a module sent implausible values, which were replaced.</summary>
    SensorFault,
}

/// <summary>
/// One alarm with its whole life cycle: who acknowledged it and when, when it cleared. One clock per
/// field: <see cref="CauseSeenAt"/> is sensor time (the reading's timestamp); every other time is the
/// server's clock when the warehouse grain made the change. Ids 20 and up were added later; state
/// written before them reads with nulls (see <see cref="AlarmClocks.Upgrade"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.alarm")]
public sealed record Alarm(
    [Id(0)] string Id,
    [Id(1)] AlarmKind Kind,
    [Id(2)] string RackId,
    [Id(3)] string? ModuleId,
    [Id(4)] HazardLevel Level,
    [Id(5)] HazardLevel PeakLevel,
    [Id(6)] AlarmState State,
    [Id(7)] string Reason,
    [property: Description("Server time at which the alarm was raised.")]
    [Id(8)] DateTimeOffset RaisedAt,
    [property: Description("Server time of the alarm's last change (raised, escalated, acknowledged, verdict, cleared).")]
    [Id(9)] DateTimeOffset UpdatedAt,
    [property: Description("Who acknowledged: the operator's name given with the acknowledgement, else the API key's name.")]
    [Id(10)] string? AcknowledgedBy = null,
    [property: Description("Server time of the acknowledgement.")]
    [Id(11)] DateTimeOffset? AcknowledgedAt = null,
    [property: Description("Server time at which the cause was gone and the alarm cleared.")]
    [Id(12)] DateTimeOffset? ClearedAt = null,
    [property: Description("Sensor time: the timestamp of the reading in which the cause was first seen (the gateway's clock, not the server's).")]
    [Id(20)] DateTimeOffset? CauseSeenAt = null,
    [property: Description("The name of the API key that acknowledged (e.g. operator-key), whoever typed the name.")]
    [Id(21)] string? AcknowledgedWithKey = null,
    [property: Description("The operator's verdict (TrueAlarm, FalseAlarm, Test), kept as a label for the model's next training.")]
    [Id(22)] AlarmVerdict? Verdict = null)
{
    public bool IsActive => State != AlarmState.Cleared;

    /// <summary>The thing the alarm is about: a module id or, for propagation, the rack id.</summary>
    public string Subject => ModuleId ?? RackId;
}
