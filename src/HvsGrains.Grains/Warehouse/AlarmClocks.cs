namespace HvsGrains.Grains.Warehouse;

/// <summary>Brings alarms stored before the one-clock-per-field split into the current meaning of their fields.</summary>
public static class AlarmClocks
{
    /// <summary>
    /// Before <see cref="Alarm.CauseSeenAt"/> existed, <see cref="Alarm.RaisedAt"/> held the reading's sensor
    /// time: that time moves to <see cref="Alarm.CauseSeenAt"/>. The server time of raising was never kept,
    /// so <see cref="Alarm.RaisedAt"/> keeps that value as the best estimate.
    /// </summary>
    public static bool Upgrade(List<Alarm> alarms)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        var changed = false;
        for (var i = 0; i < alarms.Count; i++)
        {
            if (alarms[i].CauseSeenAt is null)
            {
                alarms[i] = alarms[i] with { CauseSeenAt = alarms[i].RaisedAt };
                changed = true;
            }
        }

        return changed;
    }
}
