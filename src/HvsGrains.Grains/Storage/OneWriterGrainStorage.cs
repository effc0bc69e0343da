using Orleans.Storage;

namespace HvsGrains.Grains.Storage;

/// <summary>
/// Lets one grain-state write or clear at a time reach the SQLite file. SQLite takes one writer at a time,
/// and Microsoft.Data.Sqlite waits out a busy file by sleeping on the calling thread: thousands of module
/// grains flushing together would park the thread pool the silo runs on. Waiting here is asynchronous.
/// Reads go straight through (WAL readers do not block the writer). Written by hand: a few lines no package has.
/// </summary>
public sealed class OneWriterGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        OneAtATimeAsync(() => inner.ClearStateAsync(stateName, grainId, grainState));

    private async Task OneAtATimeAsync(Func<Task> change)
    {
        await _writer.WaitAsync();
        try
        {
            await change();
        }
        finally
        {
            _writer.Release();
        }
    }
}
