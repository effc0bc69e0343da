using HvsGrains.Grains.Hazard;

namespace HvsGrains.Grains.Warehouse;

/// <summary>Where an alarm is in its life: raised (open), acknowledged by a person, or cleared.</summary>
public enum AlarmState
{
    Open,
    Acknowledged,
    Cleared,
}

/// <summary>What an alarm is about.</summary>
public enum AlarmKind
{
    /// <summary>A module at Warning or above.</summary>
    ModuleHazard,

    /// <summary>Neighbouring modules of a rack heating together.</summary>
    Propagation,
}

/// <summary>One alarm with its whole life cycle: who acknowledged it and when, when it cleared.</summary>
public sealed record Alarm(
    string Id,
    AlarmKind Kind,
    string RackId,
    string? ModuleId,
    HazardLevel Level,
    HazardLevel PeakLevel,
    AlarmState State,
    string Reason,
    DateTimeOffset RaisedAt,
    DateTimeOffset UpdatedAt,
    string? AcknowledgedBy = null,
    DateTimeOffset? AcknowledgedAt = null,
    DateTimeOffset? ClearedAt = null)
{
    public bool IsActive => State != AlarmState.Cleared;

    /// <summary>The thing the alarm is about: a module id or, for propagation, the rack id.</summary>
    public string Subject => ModuleId ?? RackId;
}
