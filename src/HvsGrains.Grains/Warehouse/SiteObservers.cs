namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// The warehouse grain's subscribers (each silo's site feed) and the version of its picture. A subscription lapses
/// unless renewed within <see cref="Expiry"/>: a silo that died never unsubscribes, and a one-way notification to it
/// fails without a word. Subscriptions live in the activation only: after the grain moves (its silo died) they are
/// gone, and subscribers learn it from the new <see cref="SiteVersion.Activation"/> when they renew.
/// </summary>
public sealed class SiteObservers(TimeProvider clock)
{
    /// <summary>How long a subscription lasts without renewal; subscribers renew well within it.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(1);

    private readonly Dictionary<ISiteObserver, DateTimeOffset> _renewed = [];
    private readonly Guid _activation = Guid.NewGuid();
    private long _sequence;

    public int Count => _renewed.Count;

    public SiteVersion Version(string siteId) => new(siteId, _activation, _sequence);

    /// <summary>Adds or renews a subscription; answers the current version, so the subscriber can tell what it missed.</summary>
    public SiteVersion Subscribe(string siteId, ISiteObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _renewed[observer] = clock.GetUtcNow();
        return Version(siteId);
    }

    public void Unsubscribe(ISiteObserver observer) => _renewed.Remove(observer);

    /// <summary>Counts a change and tells every subscriber whose subscription has not lapsed.</summary>
    public void Changed(string siteId)
    {
        _sequence++;
        if (_renewed.Count == 0)
        {
            return;
        }

        var version = Version(siteId);
        var now = clock.GetUtcNow();
        foreach (var (observer, renewed) in _renewed.ToList())
        {
            if (now - renewed > Expiry)
            {
                _renewed.Remove(observer);
                continue;
            }

            try
            {
                _ = observer.SiteChanged(version); // one-way
            }
            catch (Exception ex) when (ex is OrleansException or InvalidOperationException)
            {
                // A reference that cannot be called any more (its silo is gone): it would never hear again.
                _renewed.Remove(observer);
            }
        }
    }
}
