namespace HvsGrains.Runtime;

/// <summary>
/// A grain's persistent state (as Orleans' IPersistentState): read on activation, written when
/// the grain says so. <see cref="Etag"/> is the version the grain last saw; writing over a newer
/// version fails with <see cref="InconsistentStateException"/> instead of overwriting it.
/// </summary>
public interface IPersistentState<TState>
    where TState : class, new()
{
    TState State { get; set; }

    string? Etag { get; }

    bool RecordExists { get; }

    Task ReadStateAsync(CancellationToken cancellationToken = default);

    Task WriteStateAsync(CancellationToken cancellationToken = default);

    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
