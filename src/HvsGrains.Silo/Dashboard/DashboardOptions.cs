namespace HvsGrains.Silo.Dashboard;

/// <summary>The dashboard's settings, bound from "Hvs:Dashboard".</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Hvs:Dashboard";

    /// <summary>
    /// When true, a dashboard page requested over loopback (and not through a proxy: no Forwarded or
    /// X-Forwarded-For header) carries the read key, so an operator at the silo's own console needs
    /// no key entry. Off by default: behind a reverse proxy on the same host every request is loopback.
    /// Only ever the read key; the ingest and admin keys never reach a browser.
    /// </summary>
    public bool ServeReadKeyToLoopback { get; set; }

    /// <summary>
    /// How often the site feed renews its subscription to the warehouse grain while someone watches (and so learns of
    /// changes it missed while the grain moved). Less than the grain's expiry of a subscription (one minute).
    /// </summary>
    public TimeSpan SiteSubscriptionRenewal { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the site page's feed and model figures (this silo's meters, no grain calls) are sent when they changed.</summary>
    public TimeSpan FeedFiguresInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a watched module's status is polled for the module page.</summary>
    public TimeSpan ModulePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A comment line is sent on an idle stream this often, so proxies and the page know it lives.</summary>
    public TimeSpan StreamKeepAlive { get; set; } = TimeSpan.FromSeconds(10);
}
