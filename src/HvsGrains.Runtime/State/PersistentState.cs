using System.Text.Json;

namespace HvsGrains.Runtime.State;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON over an <see cref="IGrainStorage"/>.</summary>
internal sealed class PersistentState<TState>(string stateName, GrainId grainId, IGrainStorage storage, JsonSerializerOptions json)
    : IPersistentState<TState>, IReadableState
    where TState : class, new()
{
    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var stored = await storage.ReadAsync(stateName, grainId, cancellationToken);
        Etag = stored?.Etag;
        RecordExists = stored?.Payload is not null;
        State = stored?.Payload is { } payload ? JsonSerializer.Deserialize<TState>(payload, json) ?? new() : new();
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, json);
        Etag = await storage.WriteAsync(stateName, grainId, payload, Etag, cancellationToken);
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        Etag = await storage.ClearAsync(stateName, grainId, Etag, cancellationToken);
        RecordExists = false;
        State = new();
    }
}

/// <summary>Lets the activator read every state of a grain without knowing its type.</summary>
internal interface IReadableState
{
    Task ReadStateAsync(CancellationToken cancellationToken = default);
}
