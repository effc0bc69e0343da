using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Tests.ReadingLog;

public sealed class SqliteReadingLogTests : IDisposable
{
    private readonly DataFolder _data = new();

    [Fact]
    public async Task Readings_come_back_exactly_with_their_offsets_and_missing_values()
    {
        await using var log = Open();
        var awkward = new[] { 0.1 + 0.2, 1e-7, 123456.789012345, 51.199999999999996, -1999.9999999999998, 1e6, 0.0, -0.0 };
        var readings = awkward.Select((v, i) => new SensorReading(
            "RackA1_Module01", "RackA1", new DateTimeOffset(2026, 11, 22, 10, 0, i, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(i % 3 == 0 ? 2 : -5)),
            VoltageV: v, CurrentA: -v, SocPercent: i % 2 == 0 ? null : 50.5, AvgSurfaceTempC: v / 3, MaxSurfaceTempC: v / 7,
            AmbientTempC: null, CoPpm: v * 3, H2Ppm: 1.0 / 3, VocPpm: Math.PI)).ToList();

        var sequences = await log.AppendAsync(readings, CancellationToken.None);
        var back = await log.ReadModuleAsync("RackA1_Module01", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100, CancellationToken.None);

        Assert.All(sequences, s => Assert.True(s > 0));
        Assert.Equal(readings, back.Select(r => r.Reading));
        Assert.Equal(readings.Select(r => r.Timestamp.Offset), back.Select(r => r.Reading.Timestamp.Offset));
        Assert.Equal(sequences, back.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Repeats_within_and_across_batches_are_duplicates_and_only_the_first_is_kept()
    {
        await using var log = Open();
        var first = TestReadings.At(0, tempC: 30);
        var other = TestReadings.At(10, tempC: 31);

        var one = await log.AppendAsync([first, first with { AvgSurfaceTempC = 99 }, other], CancellationToken.None);
        var two = await log.AppendAsync([other, TestReadings.At(20)], CancellationToken.None);

        Assert.True(one[0] > 0 && one[2] > 0);
        Assert.Equal(0, one[1]);
        Assert.Equal(0, two[0]);
        Assert.True(two[1] > one[2]);
        var kept = await log.ReadModuleAsync(TestReadings.Module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100, CancellationToken.None);
        Assert.Equal([30.0, 31.0, 25.0], kept.Select(r => r.Reading.AvgSurfaceTempC!.Value));
    }

    [Fact]
    public async Task Concurrent_appends_share_commits_and_lose_nothing()
    {
        await using var log = Open();
        var batches = Enumerable.Range(0, 16).Select(b => Enumerable.Range(0, 700)
            .Select(i => TestReadings.At((i * 16) + b) with { ModuleId = $"M{b % 4}" }).ToList()).ToList();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(() => log.AppendAsync(batch, CancellationToken.None))));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(16 * 700, all.Count(s => s > 0));
        Assert.Equal(all.Count, all.Distinct().Count());
        var stored = 0;
        for (var m = 0; m < 4; m++)
        {
            stored += (await log.ReadModuleAsync($"M{m}", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100_000, CancellationToken.None)).Count;
        }

        Assert.Equal(16 * 700, stored);
    }

    private SqliteReadingLog Open() =>
        new(Options.Create(new ReadingLogOptions { DatabasePath = Path.Combine(_data.Path, "readings.db") }), NullLogger<SqliteReadingLog>.Instance);

    public void Dispose() => _data.Dispose();
}
