using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Tests.Support;
using Microsoft.Data.Sqlite;
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

    [Fact]
    public async Task A_log_of_the_first_layout_is_upgraded_with_its_readings_and_sequence_numbers()
    {
        var path = Path.Combine(_data.Path, "readings.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE readings (
                    seq INTEGER PRIMARY KEY, module_id TEXT NOT NULL, rack_id TEXT NOT NULL, ts_utc INTEGER NOT NULL, ts_offset_min INTEGER NOT NULL,
                    voltage_v REAL, current_a REAL, soc_percent REAL, avg_surface_c REAL, max_surface_c REAL, ambient_c REAL,
                    co_ppm REAL, h2_ppm REAL, voc_ppm REAL);
                CREATE UNIQUE INDEX readings_module_time ON readings (module_id, ts_utc);
                INSERT INTO readings VALUES (7, 'RackA1_Module01', 'RackA1', 638993000000000000, 60, 51.2, -3.5, 80, 25.5, 26, 22, 1.5, NULL, 0.25);
                INSERT INTO readings VALUES (9, 'RackA1_Module02', 'RackA1', 638993000000000000, 0, 51.1, 0, 79, 25, 25.5, 22, 1, 0.5, 0.2);
                """;
            create.ExecuteNonQuery();
        }

        await using var log = Open();
        var kept = await log.ReadModuleAsync("RackA1_Module01", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, CancellationToken.None);
        var repeated = await log.AppendAsync([kept[0].Reading], CancellationToken.None);
        var next = await log.AppendAsync([kept[0].Reading with { Timestamp = kept[0].Reading.Timestamp.AddSeconds(1) }], CancellationToken.None);

        var only = Assert.Single(kept);
        Assert.Equal(7, only.Sequence);
        Assert.Equal(new SensorReading("RackA1_Module01", "RackA1", new DateTimeOffset(638993000000000000, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(1)),
            51.2, -3.5, 80, 25.5, 26, 22, 1.5, null, 0.25), only.Reading);
        Assert.Equal(TimeSpan.FromHours(1), only.Reading.Timestamp.Offset);
        Assert.Equal([0L], repeated);
        Assert.Equal([10L], next);
        Assert.Single(await log.ReadModuleAfterAsync("RackA1_Module02", 0, CancellationToken.None));
    }

    [Fact]
    public async Task A_module_that_moves_to_another_rack_keeps_the_rack_of_each_reading()
    {
        await using var log = Open();
        await log.AppendAsync([TestReadings.At(0) with { RackId = "RackA1" }, TestReadings.At(10) with { RackId = "RackB4" }], CancellationToken.None);

        var kept = await log.ReadModuleAfterAsync(TestReadings.Module, 0, CancellationToken.None);

        Assert.Equal(["RackA1", "RackB4"], kept.Select(r => r.Reading.RackId));
    }

    private SqliteReadingLog Open() =>
        new(Options.Create(new ReadingLogOptions { DatabasePath = Path.Combine(_data.Path, "readings.db") }), NullLogger<SqliteReadingLog>.Instance);

    public void Dispose() => _data.Dispose();
}
