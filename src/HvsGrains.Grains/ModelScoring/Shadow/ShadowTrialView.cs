using System.ComponentModel;
using HvsGrains.Grains.ModelScoring.Catalog;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// The running shadow trial as the API (`GET /api/v1/model/shadow`) and `hvs model shadow` show it: the candidate, the
/// active model it is compared with, what each silo runs, and the comparison so far.
/// </summary>
public sealed record ShadowTrialView(
    ShadowSlot Shadow,
    [property: Description("The active model's version (the bundled model's as the silos report it).")]
    string ActiveVersion,
    [property: Description("Every silo's report: shadowVersion is the candidate it runs, shadowRefusedReason why it refused it.")]
    IReadOnlyList<SiloModelReport> Silos,
    ShadowComparison Comparison)
{
    /// <summary>The site's running trial, or null when no candidate is in shadow.</summary>
    public static async Task<ShadowTrialView?> ReadAsync(IGrainFactory grains, string site)
    {
        ArgumentNullException.ThrowIfNull(grains);
        var catalog = await grains.GetGrain<IModelCatalogGrain>(site).GetCatalog();
        if (catalog.Shadow is not { } shadow)
        {
            return null;
        }

        var comparison = await grains.GetGrain<IShadowComparisonGrain>(shadow.Trial).GetComparison();
        var active = catalog.Active?.Version ?? catalog.Silos.FirstOrDefault(s => s.Source == "bundled")?.Version ?? "the bundled model";
        return new ShadowTrialView(shadow, active, catalog.Silos, comparison);
    }
}
