using HvsGrains.Grains.ModelScoring.Catalog;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>
/// The candidate model running in shadow at a site (who put it there and when: <see cref="ModelCatalogEntry.UploadedBy"/>
/// and <see cref="ModelCatalogEntry.UploadedAt"/>) and its trial: the key of the <see cref="IShadowComparisonGrain"/>
/// that compares it with the active model. A new upload in shadow, even of the same bytes, starts a new trial.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.shadow-slot")]
public sealed record ShadowSlot([Id(0)] ModelCatalogEntry Candidate, [Id(1)] string Trial);
