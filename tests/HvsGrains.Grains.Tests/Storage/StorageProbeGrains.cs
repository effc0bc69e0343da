namespace HvsGrains.Grains.Tests.Storage;

/// <summary>Test-only state: Orleans' binary codec needs the generated serializer.</summary>
[GenerateSerializer]
public sealed record ProbeState
{
    [Id(0)]
    public string? Value { get; init; }
}

public interface IStorageProbeGrain : IGrainWithStringKey
{
    Task<string?> GetAsync();

    Task SetAsync(string value);

    Task ClearAsync();

    Task<bool> RecordExistsAsync();
}

/// <summary>
/// Second grain type with the same methods. It does not derive from <see cref="IStorageProbeGrain"/>,
/// which would make that interface resolve to two grain classes.
/// </summary>
public interface IOtherProbeGrain : IGrainWithStringKey
{
    Task<string?> GetAsync();

    Task SetAsync(string value);
}

public abstract class ProbeGrainBase(IPersistentState<ProbeState> state) : Grain
{
    public Task<string?> GetAsync() => Task.FromResult(state.State.Value);

    public Task SetAsync(string value)
    {
        state.State = state.State with { Value = value };
        return state.WriteStateAsync();
    }

    public Task ClearAsync() => state.ClearStateAsync();

    public Task<bool> RecordExistsAsync() => Task.FromResult(state.RecordExists);
}

public sealed class StorageProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state) : ProbeGrainBase(state), IStorageProbeGrain;

public sealed class OtherProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state) : ProbeGrainBase(state), IOtherProbeGrain;
