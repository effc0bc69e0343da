namespace HvsGrains.Runtime.Tests.Grains;

public sealed class TallyGrain([PersistentState("tally")] IPersistentState<TallyState> tally) : Grain, ITallyGrain
{
    public Task Add(int amount)
    {
        tally.State.Total += amount;
        tally.State.History.Add($"+{amount}");
        return Task.CompletedTask;
    }

    public Task<int> Get() => Task.FromResult(tally.State.Total);

    public Task Save() => tally.WriteStateAsync();

    public Task<string?> GetEtag() => Task.FromResult(tally.Etag);

    public Task Clear() => tally.ClearStateAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        tally.WriteStateAsync(cancellationToken);
}
