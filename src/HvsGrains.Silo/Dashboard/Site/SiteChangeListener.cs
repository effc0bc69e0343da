using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>The object behind this silo's observer reference: hands each change the warehouse grain pushes to the feed.</summary>
internal sealed class SiteChangeListener(Action<SiteVersion> changed) : ISiteObserver
{
    public Task SiteChanged(SiteVersion version)
    {
        changed(version);
        return Task.CompletedTask;
    }
}
