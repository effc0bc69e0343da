using HvsGrains.Grains.ModelScoring.Shadow;

namespace HvsGrains.Grains.ModelScoring.Catalog;

/// <summary>Follows the catalog's shadow slot as the active version is followed: bytes fetched only when the trial changes.</summary>
public sealed partial class ModelCatalogFollower
{
    private bool _shadowFollowed;
    private string? _followedTrial;

    private async Task FollowShadowAsync(IModelCatalogGrain catalog, ShadowSlot? slot)
    {
        if (_shadowFollowed && _followedTrial == slot?.Trial)
        {
            return;
        }

        byte[]? model = null;
        if (slot is not null && (model = models.TryReadStored(slot.Candidate.Sha256) ?? await catalog.GetModel(slot.Candidate.Sha256)) is null)
        {
            return; // replaced again meanwhile; the next sync sees the newer candidate
        }

        models.FollowShadow(slot, model);
        (_shadowFollowed, _followedTrial) = (true, slot?.Trial);
    }
}
