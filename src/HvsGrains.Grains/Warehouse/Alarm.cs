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

    /// <summary>One physical event in a rack (<see cref="Racks.RackEvent"/>): names the module most likely at fault.</summary>
    RackEvent,
}

/// <summary>One alarm with its whole life cycle: who acknowledged it and when, when it cleared.</summary>
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
    [Id(8)] DateTimeOffset RaisedAt,
    [Id(9)] DateTimeOffset UpdatedAt,
    [Id(10)] string? AcknowledgedBy = null,
    [Id(11)] DateTimeOffset? AcknowledgedAt = null,
    [Id(12)] DateTimeOffset? ClearedAt = null)
{
    // Ids from 20 on: fields of other changes take the ids after 12.

    /// <summary>For a rack event: the evidence (peer deviation, gas, temperature rise, model), one line each.</summary>
    [Id(20)]
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>For a rack event: the other modules affected, beside the one most likely at fault.</summary>
    [Id(21)]
    public IReadOnlyList<string> AffectedModules { get; init; } = [];

    public bool IsActive => State != AlarmState.Cleared;

    /// <summary>The thing the alarm is about: a module id or, for propagation, the rack id.</summary>
    public string Subject => ModuleId ?? RackId;
}
