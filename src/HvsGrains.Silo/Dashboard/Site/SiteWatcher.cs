using System.Threading.Channels;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>One event of the site stream: its name ("site" or "feed") and its JSON.</summary>
public readonly record struct SiteEvent(string Name, string Json);

/// <summary>
/// One browser's stream of the site feed: the newest event of each name waits to be written, so a reader that falls
/// behind skips pictures it would overwrite anyway but never misses the latest. Dispose to leave.
/// </summary>
public sealed class SiteWatcher(Action<SiteWatcher> leave) : IDisposable
{
    private readonly object _gate = new();
    private readonly Channel<bool> _bell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private SiteEvent? _site;
    private SiteEvent? _feed;

    /// <summary>True when an event waits; false when the feed has ended.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) => _bell.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>The waiting events, the site picture before the feed figures.</summary>
    public IReadOnlyList<SiteEvent> Take()
    {
        _bell.Reader.TryRead(out _);
        lock (_gate)
        {
            SiteEvent?[] waiting = [_site, _feed];
            (_site, _feed) = (null, null);
            return [.. waiting.OfType<SiteEvent>()];
        }
    }

    public void Dispose() => leave(this);

    internal void Offer(SiteEvent item)
    {
        lock (_gate)
        {
            if (item.Name == SiteFeed.SiteEventName)
            {
                _site = item;
            }
            else
            {
                _feed = item;
            }
        }

        _bell.Writer.TryWrite(true);
    }
}
