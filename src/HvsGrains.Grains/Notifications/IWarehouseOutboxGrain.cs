using Orleans.Concurrency;

namespace HvsGrains.Grains.Notifications;

/// <summary>The warehouse's outbox as its deliverers see it; the warehouse grain implements it. Key: the site id.</summary>
[Alias("hvs.warehouse-outbox")]
public interface IWarehouseOutboxGrain : IGrainWithStringKey
{
    /// <summary>Written entries after <paramref name="after"/>, oldest first, at most <paramref name="max"/>.</summary>
    [AlwaysInterleave, Alias("read")]
    Task<IReadOnlyList<OutboxEntry>> ReadOutbox(long after, int max);

    /// <summary>Entries after <paramref name="after"/> that <paramref name="endpoint"/> wants, written or about to be.</summary>
    [AlwaysInterleave, Alias("count")]
    Task<int> CountPending(string endpoint, long after);

    /// <summary>The endpoint's deliverer passed <paramref name="number"/> (delivered or dead-lettered) and recorded that itself.</summary>
    [OneWay, Alias("passed")]
    Task Passed(string endpoint, long number);
}
