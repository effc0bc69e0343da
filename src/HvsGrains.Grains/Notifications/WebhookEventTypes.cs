namespace HvsGrains.Grains.Notifications;

/// <summary>The event names a webhook endpoint can ask for (its "Events" setting) and each delivery carries in "type".</summary>
public static class WebhookEventTypes
{
    public const string AlarmRaised = "alarm.raised";
    public const string AlarmEscalated = "alarm.escalated";
    public const string AlarmAcknowledged = "alarm.acknowledged";
    public const string AlarmCleared = "alarm.cleared";
    public const string ModuleLevelChanged = "module.level-changed";

    /// <summary>What an endpoint gets when it names no events: the alarm's life cycle.</summary>
    public static readonly IReadOnlyList<string> AlarmEvents = [AlarmRaised, AlarmEscalated, AlarmAcknowledged, AlarmCleared];

    public static readonly IReadOnlyList<string> All = [.. AlarmEvents, ModuleLevelChanged];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
