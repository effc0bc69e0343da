using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// One notification waiting in the warehouse's outbox. <paramref name="Number"/> orders the site's events (delivery
/// follows it); <paramref name="EventId"/> is what receivers de-duplicate on. Exactly one of <paramref name="Alarm"/>
/// (the alarm as it is after the change) and <paramref name="Module"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.outbox-entry")]
public sealed record OutboxEntry(
    [Id(0)] long Number,
    [Id(1)] Guid EventId,
    [Id(2)] string Type,
    [Id(3)] DateTimeOffset RecordedAt,
    [Id(4)] Alarm? Alarm = null,
    [Id(5)] ModuleLevelChange? Module = null);

/// <summary>A module's level as the warehouse saw it change between two reports of its rack.</summary>
[GenerateSerializer, Immutable, Alias("hvs.module-level-change")]
public sealed record ModuleLevelChange(
    [Id(0)] string ModuleId,
    [Id(1)] string RackId,
    [Id(2)] HazardLevel From,
    [Id(3)] HazardLevel To,
    [Id(4)] string? Reason,
    [Id(5)] DateTimeOffset At);
