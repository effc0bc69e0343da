namespace HvsGrains.Grains.Anomaly;

/// <summary>
/// A module's anomaly advisory: raised once the score has stayed at or above the threshold for
/// <see cref="AnomalyOptions.RaiseAfter"/> of sensor time (one odd reading is not a pattern), cleared once it has stayed
/// below for <see cref="AnomalyOptions.ClearAfter"/>, so a score hovering at the threshold does not raise and clear an
/// advisory with every reading.
/// </summary>
public sealed class AnomalyWatch(TimeSpan raiseAfter, TimeSpan clearAfter, AnomalyAdvisory? restored = null)
{
    private DateTimeOffset? _aboveSince;
    private DateTimeOffset? _belowSince;

    /// <summary>The advisory in force, or null.</summary>
    public AnomalyAdvisory? Current { get; private set; } = restored;

    /// <summary>Takes one reading's score; true when the advisory was raised or cleared.</summary>
    public bool Observe(double score, double threshold, DateTimeOffset at)
    {
        if (score >= threshold)
        {
            _belowSince = null;
            _aboveSince ??= at;
            if (Current is null && at - _aboveSince.Value < raiseAfter)
            {
                return false;
            }

            var raised = Current is null;
            Current = new AnomalyAdvisory(score, threshold, Current?.FirstSeenAt ?? _aboveSince.Value, at);
            return raised;
        }

        _aboveSince = null;
        if (Current is null)
        {
            return false;
        }

        _belowSince ??= at;
        if (at - _belowSince.Value < clearAfter)
        {
            return false;
        }

        Current = null;
        _belowSince = null;
        return true;
    }

    /// <summary>No score any more (anomaly scoring off, or a model without one): no advisory.</summary>
    public bool Forget()
    {
        var had = Current is not null;
        Current = null;
        _aboveSince = null;
        _belowSince = null;
        return had;
    }
}
