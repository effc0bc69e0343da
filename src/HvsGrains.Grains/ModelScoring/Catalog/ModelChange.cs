namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>How an upload, rollback or adoption ended.</summary>
[GenerateSerializer, Alias("hvs.model-change-outcome")]
public enum ModelChangeOutcome
{
    /// <summary>The catalog's active version changed (or already was the uploaded one).</summary>
    Changed,

    /// <summary>The model failed validation; <see cref="ModelChange.Reason"/> says why and the active version stays.</summary>
    Refused,

    /// <summary>
    /// A rollback with no previous version, an adoption after the catalog was written, a promotion or removal with no
    /// shadow, or a candidate for shadow that is the active model.
    /// </summary>
    NothingToDo,
}

/// <summary>The outcome of a change with the reason in words (the same words the API and the log use) and the catalog after it.</summary>
[GenerateSerializer, Immutable, Alias("hvs.model-change")]
public sealed record ModelChange([Id(0)] ModelChangeOutcome Outcome, [Id(1)] string? Reason, [Id(2)] ModelCatalogView Catalog);
