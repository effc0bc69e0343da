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

    [Fact]
    public async Task Readings_are_found_and_repeats_refused_whether_they_wait_for_the_index_or_are_in_it()
    {
        // A tiny backlog and slices, so the index is filled while appends go on.
        await using var log = Open(new ReadingLogOptions { IndexBacklog = 7, IndexSliceReadings = 5 });
        var modules = Enumerable.Range(0, 6).Select(m => $"Slice_M{m}").ToList();
        var readings = Enumerable.Range(0, 60).Select(i => TestReadings.At(i * 10, tempC: 20 + i) with { ModuleId = modules[i % 6] }).ToList();

        foreach (var chunk in readings.Chunk(4))
        {
            Assert.All(await log.AppendAsync(chunk, CancellationToken.None), s => Assert.True(s > 0));
        }

        // Every earlier reading again, and a late one that was never sent: only the late one is new.
        var late = TestReadings.At(5, tempC: 99) with { ModuleId = modules[0] };
        var again = await log.AppendAsync([.. readings, late], CancellationToken.None);

        Assert.All(again.Take(60), s => Assert.Equal(0, s));
        Assert.True(again[60] > 0);
        foreach (var module in modules)
        {
            var expected = readings.Where(r => r.ModuleId == module).Concat(module == modules[0] ? [late] : []).OrderBy(r => r.Timestamp).ToList();
            var byTime = await log.ReadModuleAsync(module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 1000, CancellationToken.None);
            var bySequence = await log.ReadModuleAfterAsync(module, 0, CancellationToken.None);
            Assert.Equal(expected, byTime.Select(r => r.Reading));
            Assert.Equal(expected.Count, bySequence.Count);
            Assert.Equal(bySequence.Select(r => r.Sequence).Order(), bySequence.Select(r => r.Sequence));
        }

        var firstTwo = await log.ReadModuleAsync(modules[0], DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 2, CancellationToken.None);
        Assert.Equal([readings[0].Timestamp, late.Timestamp], firstTwo.Select(r => r.Reading.Timestamp));
    }

    [Fact]
    public async Task After_a_crash_before_indexing_the_log_indexes_again_what_it_holds_beyond_the_index()
    {
        var readings = Enumerable.Range(0, 30).Select(i => TestReadings.At(i * 10, tempC: 20 + i)).ToList();
        await using (var first = Open())
        {
            await first.AppendAsync(readings, CancellationToken.None);
        }

        // As if the process died after the last commits but before their index slice: entries gone, mark behind.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "readings.db")};Pooling=False"))
        {
            db.Open();
            using var crash = db.CreateCommand();
            crash.CommandText = """
                DELETE FROM module_reading_index WHERE seq > 12;
                UPDATE reading_log_meta SET value = 10 WHERE key = 'unindexed_from';
                """;
            crash.ExecuteNonQuery();
        }

        await using var second = Open();
        var repeated = await second.AppendAsync([readings[5], readings[20], readings[29]], CancellationToken.None);
        var kept = await second.ReadModuleAsync(TestReadings.Module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 100, CancellationToken.None);

        Assert.Equal([0L, 0L, 0L], repeated);
        Assert.Equal(readings, kept.Select(r => r.Reading));
    }

    [Fact]
    public async Task Queries_issued_right_after_a_restart_see_every_reading_a_crash_left_outside_the_index()
    {
        // A big backlog, as a crash under load leaves it: 100,000 readings of 40 modules, none in the index.
        var modules = Enumerable.Range(0, 40).Select(m => $"Backlog_M{m:00}").ToList();
        const int PerModule = 2_500;
        await using (var first = Open())
        {
            for (var round = 0; round < PerModule; round += 250)
            {
                var batch = Enumerable.Range(round, 250).SelectMany(i => modules.Select(m => TestReadings.At(i * 10, tempC: 20 + (i % 7)) with { ModuleId = m })).ToList();
                await first.AppendAsync(batch, CancellationToken.None);
            }
        }

        using (var db = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "readings.db")};Pooling=False"))
        {
            db.Open();
            using var crash = db.CreateCommand();
            crash.CommandText = """
                DELETE FROM module_reading_index;
                INSERT INTO reading_log_meta (key, value) VALUES ('unindexed_from', 0) ON CONFLICT (key) DO UPDATE SET value = 0;
                """;
            crash.ExecuteNonQuery();
        }

        await using var second = Open();
        // Issued at once, while the writer is still reading the backlog back.
        var byTime = modules.Select(m => second.ReadModuleAsync(m, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10_000, CancellationToken.None)).ToList();
        var bySequence = second.ReadModuleAfterAsync(modules[^1], 0, CancellationToken.None);

        Assert.All(await Task.WhenAll(byTime), readings => Assert.Equal(PerModule, readings.Count));
        Assert.Equal(PerModule, (await bySequence).Count);
        Assert.True(second.Recovered.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_log_that_cannot_be_opened_says_so_instead_of_answering()
    {
        await using (var first = Open())
        {
            await first.AppendAsync([TestReadings.At(0)], CancellationToken.None);
        }

        // The writer cannot read the readings back (a damaged file, say): queries and appends fail, not hang.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "readings.db")};Pooling=False"))
        {
            db.Open();
            using var damage = db.CreateCommand();
            damage.CommandText = "ALTER TABLE module_readings RENAME COLUMN ts_utc TO ts_gone;";
            damage.ExecuteNonQuery();
        }

        await using var second = Open();

        await Assert.ThrowsAnyAsync<Exception>(() => second.Recovered);
        await Assert.ThrowsAnyAsync<Exception>(() => second.ReadModuleAsync(TestReadings.Module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => second.AppendAsync([TestReadings.At(10)], CancellationToken.None));
    }

    [Fact]
    public async Task A_steady_trickle_that_never_leaves_the_log_idle_is_still_indexed()
    {
        await using var log = Open(new ReadingLogOptions { IndexBacklog = 1_000_000, IdleIndexDelay = TimeSpan.FromMinutes(5), IndexAtLeastEvery = TimeSpan.FromMilliseconds(100) });

        for (var i = 0; i < 20; i++)
        {
            await log.AppendAsync([TestReadings.At(i)], CancellationToken.None);
            await Task.Delay(30);
        }

        using var db = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "readings.db")};Pooling=False");
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT count(*) FROM module_reading_index";
        Assert.InRange((long)count.ExecuteScalar()!, 1, 20); // none without the time limit: no backlog, never idle
    }

    [Fact]
    public async Task The_write_ahead_file_is_copied_into_the_database_in_the_background()
    {
        await using var log = Open(new ReadingLogOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20) });
        await log.AppendAsync(Enumerable.Range(0, 2000).Select(i => TestReadings.At(i)).ToList(), CancellationToken.None);

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(log.CheckpointPasses > 1)));
        var file = new FileInfo(Path.Combine(_data.Path, "readings.db"));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(new FileInfo(file.FullName).Length > 150_000)), "the readings reached the database file");
    }

    private SqliteReadingLog Open(ReadingLogOptions? options = null)
    {
        options ??= new ReadingLogOptions();
        options.DatabasePath = Path.Combine(_data.Path, "readings.db");
        return new(Options.Create(options), NullLogger<SqliteReadingLog>.Instance);
    }

    public void Dispose() => _data.Dispose();
}
