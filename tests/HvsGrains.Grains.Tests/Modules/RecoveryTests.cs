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
