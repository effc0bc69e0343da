using HvsGrains.Grains.ModelScoring.Shadow;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// The catalog as the silos and the `hvs` tool see it. <see cref="Active"/> null means every silo's bundled model;
/// <see cref="CanRollBack"/> with a null <see cref="Previous"/> means the rollback target is the bundled model.
/// <see cref="Revision"/> counts changes (0: nothing was ever uploaded); <see cref="Silos"/> are the recent reports.
/// <see cref="Shadow"/> is the candidate running in shadow, if any.
/// </summary>
[GenerateSerializer, Immutable, Alias("hvs.model-catalog-view")]
public sealed record ModelCatalogView(
    [Id(0)] long Revision,
    [Id(1)] ModelCatalogEntry? Active,
    [Id(2)] ModelCatalogEntry? Previous,
    [Id(3)] bool CanRollBack,
    [Id(4)] string? ChangedBy,
    [Id(5)] DateTimeOffset? ChangedAt,
    [Id(6)] IReadOnlyList<SiloModelReport> Silos,
    [Id(7)] ShadowSlot? Shadow = null);
