namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>One uploaded model version: its content hash, its own version, size, and who uploaded it when.</summary>
[GenerateSerializer, Immutable, Alias("hvs.model-catalog-entry")]
public sealed record ModelCatalogEntry(
    [Id(0)] string Sha256,
    [Id(1)] string Version,
    [Id(2)] long Bytes,
    [Id(3)] string UploadedBy,
    [Id(4)] DateTimeOffset UploadedAt);
