using Orleans.Concurrency;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// The site's drift watch, one grain per site (key: the site id): every silo reports its bin counts for the model it
/// runs; the grain adds them up, judges each feature against the model's baseline and keeps the advisory.
/// Its state is the silos' last reports only (they come every few seconds), so it is not persisted.
/// </summary>
[Alias("hvs.model-drift")]
public interface IModelDriftGrain : IGrainWithStringKey
{
    [Alias("report")]
    Task<DriftReply> Report(SiloDriftReport report);

    [AlwaysInterleave, Alias("show")]
    Task<ModelDriftView> GetDrift();
}
