using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Storage;
using HvsGrains.Grains.Tests.Support;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Storage;

namespace HvsGrains.Grains.Tests.Cluster;

/// <summary>
/// Site reads do not queue behind a rack report that awaits its state write: under ingest load that write waits
/// behind every other grain's, and a facility system's query waited with it (seconds, issue 12).
/// </summary>
[Collection(HeldWritesCollection.Name)]
public sealed class InterleavedReadTests(HeldWritesCluster cluster)
{
    [Fact]
    public async Task The_site_picture_and_alarms_are_answered_while_a_rack_report_waits_for_its_state_write()
    {
        var site = cluster.Grains.GetGrain<IWarehouseGrain>("held-writes-site");
        Assert.Equal(0, (await site.GetStatus()).RackCount);
        cluster.Gate.Close();
        try
        {
            // A new rack changes the site picture, so the report's turn writes the warehouse state: held at the gate.
            await site.ReportRack(new RackReport("HeldRack1", HazardLevel.Normal, 8, null, null, PropagationRisk.None, [], TestReadings.Start));
            await cluster.Gate.WriteWaiting;

            // Without interleaving these would wait for the write (and fail with Orleans' response timeout).
            var status = await site.GetStatus();
            var alarms = await site.GetAlarms(null, null);

            Assert.Equal(1, status.RackCount);
            Assert.Empty(alarms);
            Assert.True(cluster.Gate.IsHolding, "the write was let go before the reads were answered");
        }
        finally
        {
            cluster.Gate.Open();
        }
    }
}

/// <summary>One silo whose warehouse state writes wait while <see cref="Gate"/> is closed.</summary>
public sealed class HeldWritesCluster : WarehouseCluster
{
    public WarehouseWriteGate Gate { get; } = new();

    protected override void ConfigureSilo(ISiloBuilder silo) =>
        silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (services, _) =>
            new GatedStorage(new OneWriterGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(SqliteGrainStorageExtensions.SqliteProviderName)), Gate));

    private sealed class GatedStorage(IGrainStorage inner, WarehouseWriteGate gate) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (stateName == "warehouse")
            {
                await gate.PassAsync();
            }

            await inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }
}

/// <summary>Holds warehouse state writes while closed, and tells when one is waiting.</summary>
public sealed class WarehouseWriteGate
{
    private readonly TaskCompletionSource _waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _open = NewOpen(opened: true);

    public Task WriteWaiting => _waiting.Task;

    public bool IsHolding => !_open.Task.IsCompleted && _waiting.Task.IsCompleted;

    public void Close() => _open = NewOpen(opened: false);

    public void Open() => _open.TrySetResult();

    public Task PassAsync()
    {
        var open = _open.Task;
        if (!open.IsCompleted)
        {
            _waiting.TrySetResult();
        }

        return open;
    }

    private static TaskCompletionSource NewOpen(bool opened)
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (opened)
        {
            open.SetResult();
        }

        return open;
    }
}

[CollectionDefinition(Name)]
public sealed class HeldWritesCollection : ICollectionFixture<HeldWritesCluster>
{
    public const string Name = "held warehouse writes";
}
