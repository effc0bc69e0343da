using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Support;

namespace HvsGrains.Grains.Tests.Modules;

public sealed class RecoveryTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task After_a_crash_a_module_rebuilds_its_windows_from_its_snapshot_plus_the_log()
    {
        var readings = Enumerable.Range(0, 240).Select(i => TestReadings.At(i * 5, tempC: 25 + (i * 0.05))).ToList();
        var crashed = await DomainSilo.StartAsync(_data.Path);
        var module = crashed.Grains.GetGrain<IModuleGrain>(TestReadings.Module);
        await IngestAsync(crashed, readings.Take(120).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 120));
        await crashed.Runtime.DeactivateAsync(new Runtime.GrainId(nameof(IModuleGrain), TestReadings.Module));
        await IngestAsync(crashed, readings.Skip(120).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 240));
        var beforeCrash = (await module.GetStatus())!;

        // No graceful stop: the last 120 readings exist only in the log and the first silo's memory.
        await using var recovered = await DomainSilo.StartAsync(_data.Path);
        var afterCrash = (await recovered.Grains.GetGrain<IModuleGrain>(TestReadings.Module).GetStatus())!;

        Assert.Equal(beforeCrash.Features, afterCrash.Features);
        Assert.Equal(beforeCrash.LatestReading, afterCrash.LatestReading);
        Assert.Equal(beforeCrash.DataQuality.AppliedReadings, afterCrash.DataQuality.AppliedReadings);
        Assert.Equal(beforeCrash.Level, afterCrash.Level);
    }

    [Fact]
    public async Task A_level_reached_before_a_crash_is_still_there_after_it()
    {
        await using (var first = await DomainSilo.StartAsync(_data.Path))
        {
            var hot = Enumerable.Range(0, 30).Select(i => TestReadings.At(i * 10, tempC: 30 + (i * 4))).ToList();
            await IngestAsync(first, hot);
            var module = first.Grains.GetGrain<IModuleGrain>(TestReadings.Module);
            Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.Level == HazardLevel.Critical));
        }

        await using var second = await DomainSilo.StartAsync(_data.Path);
        var status = await second.Grains.GetGrain<IModuleGrain>(TestReadings.Module).GetStatus();
        Assert.Equal(HazardLevel.Critical, status!.Level);
        Assert.Contains(status.Reasons, r => r.Level == HazardLevel.Critical);
    }

    [Fact]
    public async Task An_active_module_writes_its_snapshot_every_configured_interval()
    {
        var clock = new ManualTimeProvider(TestReadings.At(0).Timestamp);
        var settings = new Dictionary<string, string?> { ["Hvs:Modules:SnapshotInterval"] = "00:01:00" };
        await using var silo = await DomainSilo.StartAsync(_data.Path, clock, settings);
        var readings = Enumerable.Range(0, 20).Select(i => TestReadings.At(i * 5)).ToList();
        var module = silo.Grains.GetGrain<IModuleGrain>(TestReadings.Module);
        await IngestAsync(silo, readings.Take(10).ToList());
        // Ingest is one-way: wait until the module is active with its timer set before the clock moves.
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 10));

        // A first Normal is not worth a write of its own; the timer's first tick is due within 0.5–1.5 intervals.
        Assert.Null(await StoredSequenceAsync(silo));
        clock.Advance(TimeSpan.FromSeconds(91));
        Assert.True(await Eventually.HoldsAsync(async () => await StoredSequenceAsync(silo) == 10));

        // Later readings wait for the next tick, at most one interval away.
        await IngestAsync(silo, readings.Skip(10).ToList());
        Assert.True(await Eventually.HoldsAsync(async () => (await module.GetStatus())?.DataQuality.AppliedReadings == 20));
        Assert.Equal(10, await StoredSequenceAsync(silo));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.True(await Eventually.HoldsAsync(async () => await StoredSequenceAsync(silo) == 20));
    }

    [Fact]
    public async Task A_snapshot_interval_that_is_not_positive_stops_the_silo_from_starting()
    {
        var settings = new Dictionary<string, string?> { ["Hvs:Modules:SnapshotInterval"] = "00:00:00" };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => DomainSilo.StartAsync(_data.Path, settings: settings));

        Assert.Contains("SnapshotInterval", error.Message, StringComparison.Ordinal);
    }

    private static async Task<long?> StoredSequenceAsync(DomainSilo silo)
    {
        var stored = await silo.Storage.ReadAsync("module", new Runtime.GrainId(nameof(IModuleGrain), TestReadings.Module), CancellationToken.None);
        return stored?.Payload is { } payload
            ? System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("lastSequence").GetInt64()
            : null;
    }

    private static async Task IngestAsync(DomainSilo silo, IReadOnlyList<SensorReading> readings)
    {
        var sequences = await silo.Log.AppendAsync(readings, CancellationToken.None);
        var module = silo.Grains.GetGrain<IModuleGrain>(TestReadings.Module);
        for (var i = 0; i < readings.Count; i++)
        {
            await module.Ingest(new LoggedReading(sequences[i], readings[i]));
        }
    }

    public void Dispose() => _data.Dispose();
}
