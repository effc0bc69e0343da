namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The order an operator reads alarms in: what still needs a person first (open, unacknowledged),
/// then what is being handled (acknowledged), then the record (cleared). Within the active ones the
/// most severe first, then the newest; cleared ones newest-cleared first.
/// </summary>
public sealed class AlarmOrder : IComparer<Alarm>
{
    public static AlarmOrder Instance { get; } = new();

    public int Compare(Alarm? x, Alarm? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? 1 : -1;
        }

        var byState = Rank(x.State).CompareTo(Rank(y.State));
        if (byState != 0)
        {
            return byState;
        }

        if (x.State == AlarmState.Cleared)
        {
            var byCleared = Nullable.Compare(y.ClearedAt, x.ClearedAt);
            return byCleared != 0 ? byCleared : string.CompareOrdinal(y.Id, x.Id);
        }

        var bySeverity = y.Level.CompareTo(x.Level);
        if (bySeverity != 0)
        {
            return bySeverity;
        }

        var byRaised = y.RaisedAt.CompareTo(x.RaisedAt);
        return byRaised != 0 ? byRaised : string.CompareOrdinal(y.Id, x.Id);
    }

    private static int Rank(AlarmState state) => state switch
    {
        AlarmState.Open => 0,
        AlarmState.Acknowledged => 1,
        _ => 2,
    };
}
