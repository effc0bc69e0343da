namespace HvsGrains.Runtime;

/// <summary>A stored grain state: its serialized form (null once cleared) and its version.</summary>
public sealed record StoredGrainState(byte[]? Payload, string Etag);

/// <summary>
/// Where grain state lives. Every write names the version it is based on; a provider must
/// refuse a write whose version is not the stored one with <see cref="InconsistentStateException"/>.
/// SQLite is the embedded default; a PostgreSQL provider implements the same contract.
/// </summary>
public interface IGrainStorage
{
    /// <summary>Creates tables and the like; called once when the silo starts.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<StoredGrainState?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Writes the state; <paramref name="expectedEtag"/> null means "I believe nothing is stored". Returns the new etag.</summary>
    Task<string> WriteAsync(string stateName, GrainId grainId, byte[] payload, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Clears the state, keeping its version so stale writers still conflict. Returns the new etag.</summary>
    Task<string> ClearAsync(string stateName, GrainId grainId, string? expectedEtag, CancellationToken cancellationToken);
}
