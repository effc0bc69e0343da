using Orleans.Concurrency;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>
/// The site's hazard model versions, one grain per site (key: the site id): the uploaded bytes with who and when,
/// which version is active and which came before it. Every silo's <see cref="HazardModelManager"/> follows it
/// (<see cref="ModelCatalogFollower"/>), so an upload or rollback at any silo, or from the `hvs` tool, reaches all.
/// </summary>
[Alias("hvs.model-catalog")]
public interface IModelCatalogGrain : IGrainWithStringKey
{
    [AlwaysInterleave, Alias("show")]
    Task<ModelCatalogView> GetCatalog();

    /// <summary>Validates the model against the feature code; a refusal leaves the active version as it is.</summary>
    [Alias("upload")]
    Task<ModelChange> Upload(byte[] model, string by);

    /// <summary>Makes the previous version active again; the active one becomes the rollback target.</summary>
    [Alias("rollback")]
    Task<ModelChange> Rollback(string by);

    /// <summary>The bytes of a kept version (active or previous), or null when the catalog no longer keeps it.</summary>
    [AlwaysInterleave, Alias("model")]
    Task<byte[]?> GetModel(string sha256);

    /// <summary>A silo says which model it runs and learns which one the catalog holds active.</summary>
    [AlwaysInterleave, Alias("sync")]
    Task<ModelCatalogView> Sync(SiloModelReport report);

    /// <summary>
    /// Takes a silo's own uploaded model as the first active version, only while nothing was ever uploaded here
    /// (a site that ran before the catalog existed keeps its model).
    /// </summary>
    [Alias("adopt")]
    Task<ModelChange> Adopt(byte[] model, string by);

    /// <summary>
    /// Validates a candidate like an upload and runs it in shadow beside the active model (replacing any other candidate
    /// and starting a new trial); a refusal changes nothing.
    /// </summary>
    [Alias("upload-shadow")]
    Task<ModelChange> UploadShadow(byte[] model, string by);

    /// <summary>Makes the shadow candidate active; the active one becomes the rollback target.</summary>
    [Alias("promote-shadow")]
    Task<ModelChange> PromoteShadow(string by);

    /// <summary>Stops the shadow trial; the comparison stays readable under its trial key.</summary>
    [Alias("remove-shadow")]
    Task<ModelChange> RemoveShadow(string by);
}
