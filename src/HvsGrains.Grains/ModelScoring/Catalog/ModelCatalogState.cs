namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// What the catalog grain persists: the active and previous versions (null hash: the silos' bundled model) and the
/// bytes of those two only, so the state stays at most two models large.
/// </summary>
[GenerateSerializer, Alias("hvs.model-catalog-state")]
public sealed record ModelCatalogState
{
    [Id(0)]
    public long Revision { get; set; }

    [Id(1)]
    public string? ActiveSha256 { get; set; }

    [Id(2)]
    public string? PreviousSha256 { get; set; }

    [Id(3)]
    public bool HasPrevious { get; set; }

    [Id(4)]
    public Dictionary<string, StoredModel> Models { get; set; } = new(StringComparer.Ordinal);

    [Id(5)]
    public string? ChangedBy { get; set; }

    [Id(6)]
    public DateTimeOffset? ChangedAt { get; set; }

    /// <summary>The candidate in shadow (its bytes are kept too) and its trial's key; null when none runs.</summary>
    [Id(7)]
    public string? ShadowSha256 { get; set; }

    [Id(8)]
    public string? ShadowTrial { get; set; }
}

/// <summary>A kept version's record and bytes.</summary>
[GenerateSerializer, Immutable, Alias("hvs.stored-model")]
public sealed record StoredModel([Id(0)] ModelCatalogEntry Entry, [Id(1)] byte[] Bytes);
