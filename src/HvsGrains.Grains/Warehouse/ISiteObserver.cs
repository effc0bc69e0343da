using Orleans.Concurrency;

namespace HvsGrains.Grains.Warehouse;

/// <summary>
/// Told by the warehouse grain the moment its site picture changes (a rack's levels, an alarm raised, escalated,
/// acknowledged or cleared). Each silo's site feed is one, so every front door hears of a change wherever it happened.
/// </summary>
[Alias("hvs.site-observer")]
public interface ISiteObserver : IGrainObserver
{
    // One-way: a slow or dead silo never holds the warehouse grain's turn up; a missed notification is caught up
    // from the version a subscriber gets back when it renews its subscription.
    [OneWay, Alias("site-changed")]
    Task SiteChanged(SiteVersion version);
}
