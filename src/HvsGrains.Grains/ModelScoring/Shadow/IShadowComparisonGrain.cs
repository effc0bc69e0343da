using HvsGrains.Grains.ModelScoring.Catalog;
using Orleans.Concurrency;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// One shadow trial at a site (key: <see cref="ShadowSlot.Trial"/>): the site catalog starts and ends it, every silo
/// reports what its modules compared every few seconds (<see cref="ShadowReporter"/>), the API and `hvs` read it.
/// </summary>
[Alias("hvs.shadow-comparison")]
public interface IShadowComparisonGrain : IGrainWithStringKey
{
    [Alias("start")]
    Task Start(ModelCatalogEntry candidate, string activeVersion);

    [Alias("report")]
    Task Report(ShadowTallyReport report);

    /// <summary>The trial ended: the candidate was promoted, removed or replaced by another (who, when).</summary>
    [Alias("end")]
    Task End(string how, string by);

    [AlwaysInterleave, Alias("comparison")]
    Task<ShadowComparison> GetComparison();
}
