namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// What operators do to alarms: acknowledge (who, with which key, when on the server's clock) and
/// judge them. Verdicts are also kept in their own list, which outlives the trimming of cleared alarms:
/// they are the labels of the model's next training.
/// </summary>
public sealed class AlarmDesk(WarehouseState state, int verdictsKept)
{
    public AlarmAcknowledgement Acknowledge(string alarmId, Acknowledgement acknowledgement, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(acknowledgement);
        var alarm = state.Alarms.Find(a => a.Id == alarmId);
        switch (alarm?.State)
        {
            case null:
                return new(AcknowledgeOutcome.NotFound, null);
            case AlarmState.Cleared:
                return new(AcknowledgeOutcome.AlreadyCleared, alarm);
            case AlarmState.Acknowledged:
                return new(AcknowledgeOutcome.AlreadyAcknowledged, alarm);
            default:
                var acknowledged = alarm with
                {
                    State = AlarmState.Acknowledged,
                    AcknowledgedBy = acknowledgement.By,
                    AcknowledgedWithKey = acknowledgement.KeyName,
                    AcknowledgedAt = at,
                    UpdatedAt = at,
                };
                Replace(alarm, acknowledged);
                if (acknowledgement.Verdict is { } verdict)
                {
                    acknowledged = Judge(acknowledged, verdict, acknowledgement, at);
                }

                return new(AcknowledgeOutcome.Acknowledged, acknowledged);
        }
    }

    /// <summary>Records a verdict on an alarm in any state: it is often known only after the alarm cleared.</summary>
    public AlarmAcknowledgement RecordVerdict(string alarmId, Acknowledgement judgement, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(judgement);
        var alarm = state.Alarms.Find(a => a.Id == alarmId);
        if (alarm is null || judgement.Verdict is not { } verdict)
        {
            return new(AcknowledgeOutcome.NotFound, null);
        }

        return new(AcknowledgeOutcome.VerdictRecorded, Judge(alarm, verdict, judgement, at));
    }

    /// <summary>Verdicts, newest first, optionally of one kind.</summary>
    public IReadOnlyList<AlarmVerdictRecord> Verdicts(AlarmVerdict? verdict) =>
        state.Verdicts.Where(v => verdict is null || v.Verdict == verdict).OrderByDescending(v => v.At).ThenByDescending(v => v.AlarmId, StringComparer.Ordinal).ToList();

    private Alarm Judge(Alarm alarm, AlarmVerdict verdict, Acknowledgement by, DateTimeOffset at)
    {
        var judged = alarm with { Verdict = verdict, UpdatedAt = at };
        Replace(alarm, judged);
        // A changed mind replaces the earlier label of the same alarm rather than adding a contradicting one.
        state.Verdicts.RemoveAll(v => v.AlarmId == alarm.Id);
        state.Verdicts.Add(new AlarmVerdictRecord(
            alarm.Id, alarm.Kind, alarm.RackId, alarm.ModuleId, alarm.PeakLevel, alarm.CauseSeenAt, alarm.RaisedAt, verdict, by.By, by.KeyName, at));
        if (state.Verdicts.Count > verdictsKept)
        {
            state.Verdicts.RemoveRange(0, state.Verdicts.Count - verdictsKept);
        }

        return judged;
    }

    private void Replace(Alarm old, Alarm updated) => state.Alarms[state.Alarms.IndexOf(old)] = updated;
}

[GenerateSerializer, Alias("hvs.acknowledge-outcome")]
public enum AcknowledgeOutcome
{
    Acknowledged,
    AlreadyAcknowledged,
    AlreadyCleared,
    NotFound,
    VerdictRecorded,
}

[GenerateSerializer, Immutable, Alias("hvs.alarm-acknowledgement")]
public sealed record AlarmAcknowledgement([Id(0)] AcknowledgeOutcome Outcome, [Id(1)] Alarm? Alarm);
