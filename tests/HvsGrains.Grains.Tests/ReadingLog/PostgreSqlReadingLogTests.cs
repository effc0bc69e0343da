using System.Globalization;
using HvsGrains.Grains.Cluster;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using Npgsql;

namespace HvsGrains.Grains.Tests.ReadingLog;

/// <summary>The readings log in a real PostgreSQL: what the SQLite log promises, and what sharing it between silos adds.</summary>
public sealed class PostgreSqlReadingLogTests(PostgresDatabases databases) : IClassFixture<PostgresDatabases>
{
    [Fact]
    public async Task Opening_creates_the_schema_once_and_a_second_silo_finds_it_there()
    {
        var database = await databases.NewDatabaseAsync();
        await using var first = Open(database);
        await first.Recovered;
        await using var second = Open(database);
        await second.Recovered;

        var versions = await databases.Server.QueryAsync("SELECT string_agg(version::text, ',' ORDER BY version) FROM hvs_schema_version", database);

        Assert.Equal(string.Join(',', Enumerable.Range(1, PostgreSqlSchema.CurrentVersion)), versions.Trim());
        Assert.Equal("t", (await databases.Server.QueryAsync("SELECT to_regclass('hvs_readings') IS NOT NULL", database)).Trim());
        Assert.Null(await first.CheckAvailableAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Readings_come_back_exactly_with_their_offsets_and_missing_values()
    {
        await using var log = Open(await databases.NewDatabaseAsync());
        var awkward = new[] { 0.1 + 0.2, 1e-7, 123456.789012345, 51.199999999999996, -1999.9999999999998, 1e6, 0.0, -0.0 };
        var readings = awkward.Select((v, i) => new SensorReading(
            "RackA1_Module01", "RackA1", new DateTimeOffset(2026, 11, 22, 10, 0, i, TimeSpan.Zero).AddTicks(i).ToOffset(TimeSpan.FromHours(i % 3 == 0 ? 2 : -5)),
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
        await using var log = Open(await databases.NewDatabaseAsync());
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
    public async Task Concurrent_appends_lose_nothing_and_each_reading_gets_its_own_sequence()
    {
        await using var log = Open(await databases.NewDatabaseAsync());
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
    public async Task Appends_that_wait_behind_a_commit_are_gathered_into_the_next_one()
    {
        var database = await databases.NewDatabaseAsync();
        await using var log = Open(database);
        await log.Recovered;

        // Another session holds the table, so the writer's first group waits inside its insert while the others queue.
        await using var blocker = new NpgsqlConnection(databases.Server.ConnectionString(database));
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE hvs_readings IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var firstAppend = log.AppendAsync([TestReadings.At(0)], CancellationToken.None);
        Assert.True(await Eventually.HoldsAsync(async () => await CountAsync(database, "SELECT count(*) FROM pg_locks WHERE NOT granted") > 0), "the writer did not reach the lock");
        var queued = Enumerable.Range(1, 15).Select(i => log.AppendAsync([TestReadings.At(i), TestReadings.At(i + 0.5)], CancellationToken.None)).ToList();
        await Task.Delay(100); // let every queued append reach the queue's far end; nothing may complete meanwhile
        var completedWhileHeld = queued.Count(t => t.IsCompleted) + (firstAppend.IsCompleted ? 1 : 0);
        await hold.RollbackAsync();
        await firstAppend;
        await Task.WhenAll(queued);

        Assert.Equal(0, completedWhileHeld);
        Assert.Equal(31, await CountAsync(database, "SELECT count(*) FROM hvs_readings"));
        Assert.Equal(2, await CountAsync(database, "SELECT count(DISTINCT xmin::text) FROM hvs_readings")); // two transactions
    }

    [Fact]
    public async Task An_append_whose_commit_times_out_fails_is_not_reported_and_the_next_ones_succeed_by_themselves()
    {
        var database = await databases.NewDatabaseAsync();
        var listener = new RecordingCommitListener();
        await using var log = PostgresDatabases.Open(databases.Server, database, listener, commitTimeout: TimeSpan.FromSeconds(1));
        await log.Recovered;

        // A database that takes the connection but does not answer in time: another session holds the table.
        await using var blocker = new NpgsqlConnection(databases.Server.ConnectionString(database));
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE hvs_readings IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var timedOut = await Record.ExceptionAsync(() => log.AppendAsync([TestReadings.At(0)], CancellationToken.None));
        await hold.RollbackAsync();
        long[]? later = null;
        var succeededAgain = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                later = await log.AppendAsync([TestReadings.At(10)], CancellationToken.None);
                return true;
            }
            catch (ReadingLogUnavailableException)
            {
                return false;
            }
        });

        Assert.IsType<ReadingLogUnavailableException>(timedOut);
        Assert.True(succeededAgain);
        Assert.Equal(later, Assert.Single(listener.Calls).Sequences);
        Assert.Equal(1, await CountAsync(database, "SELECT count(*) FROM hvs_readings"));
    }

    [Fact]
    public async Task The_listener_hears_of_each_commit_in_commit_order_before_its_caller_does()
    {
        var database = await databases.NewDatabaseAsync();
        var listener = new RecordingCommitListener();
        await using var log = Open(database, listener);
        var batches = Enumerable.Range(0, 40).Select(b => Enumerable.Range(0, 50)
            .Select(i => TestReadings.At((b * 50) + i) with { ModuleId = $"Order_M{i % 5}" }).ToList()).ToList();

        var heardBeforeAnswer = await Task.WhenAll(batches.Select(batch => Task.Run(() => AppendAndAskAsync(batch))));
        List<SensorReading> repeats = [.. batches[3].Take(10)];
        var repeatsHeard = await AppendAndAskAsync(repeats); // all duplicates: heard of too, with 0s

        Assert.All(heardBeforeAnswer, Assert.True);
        Assert.True(repeatsHeard);
        var calls = listener.Calls;
        Assert.Equal(batches.Count + 1, calls.Count);
        Assert.Equal(new long[10], calls[^1].Sequences);
        // Commit order: the transactions that logged the appends, in the order the listener heard of them.
        var transactionOf = (await databases.Server.QueryAsync("SELECT seq || ':' || xmin FROM hvs_readings", database))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':'))
            .ToDictionary(p => long.Parse(p[0], CultureInfo.InvariantCulture), p => long.Parse(p[1], CultureInfo.InvariantCulture));
        var heardTransactions = calls.Where(c => c.Sequences.Any(s => s != 0)).Select(c => transactionOf[c.Sequences.First(s => s != 0)]).ToList();
        Assert.Equal(heardTransactions.Order(), heardTransactions);
        Assert.Equal(batches.Count, calls.Count(c => c.Sequences.All(s => s > 0)));

        async Task<bool> AppendAndAskAsync(List<SensorReading> batch)
        {
            var sequences = await log.AppendAsync(batch, CancellationToken.None);
            return listener.Calls.Any(c => ReferenceEquals(c.Readings, batch) && c.Sequences.SequenceEqual(sequences));
        }
    }

    [Fact]
    public async Task Two_silos_appending_overlapping_batches_at_once_log_every_reading_once()
    {
        var database = await databases.NewDatabaseAsync();
        var listeners = new[] { new RecordingCommitListener(), new RecordingCommitListener() };
        await using var one = Open(database, listeners[0]);
        await using var two = Open(database, listeners[1]);
        // Each gateway's batch goes to both silos (a retry to another front door), in different orders and groupings.
        var readings = Enumerable.Range(0, 4_000).Select(i => TestReadings.At(i / 8, tempC: 20 + (i % 13)) with { ModuleId = $"Both_M{i % 8}" }).ToList();
        var forOne = readings.Chunk(250).ToList();
        var forTwo = readings.AsEnumerable().Reverse().Chunk(160).ToList();

        var batches = forOne.Select(b => (Log: one, Batch: b)).Concat(forTwo.Select(b => (Log: two, Batch: b))).ToList();
        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => b.Log.AppendAsync(b.Batch, CancellationToken.None))));

        var logged = new Dictionary<SensorReading, List<long>>();
        for (var b = 0; b < batches.Count; b++)
        {
            for (var i = 0; i < batches[b].Batch.Length; i++)
            {
                if (!logged.TryGetValue(batches[b].Batch[i], out var sequences))
                {
                    logged[batches[b].Batch[i]] = sequences = [];
                }

                sequences.Add(results[b][i]);
            }
        }

        Assert.Equal(readings.Count, logged.Count);
        Assert.All(logged.Values, sequences => Assert.Single(sequences, s => s != 0)); // logged by one silo, a duplicate to the other
        Assert.Equal(readings.Count, await CountAsync(database, "SELECT count(*) FROM hvs_readings"));
        Assert.Equal(readings.Count, listeners[0].Logged.Count + listeners[1].Logged.Count);
        Assert.Empty(listeners[0].Logged.Intersect(listeners[1].Logged));
        var history = await two.ReadModuleAsync("Both_M3", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10_000, CancellationToken.None);
        Assert.Equal(readings.Where(r => r.ModuleId == "Both_M3"), history.Select(r => r.Reading));
    }

    [Fact]
    public async Task A_module_that_moves_to_another_rack_keeps_the_rack_of_each_reading()
    {
        await using var log = Open(await databases.NewDatabaseAsync());
        await log.AppendAsync([TestReadings.At(0) with { RackId = "RackA1" }, TestReadings.At(10) with { RackId = "RackB4" }], CancellationToken.None);

        var kept = await log.ReadModuleAfterAsync(TestReadings.Module, 0, CancellationToken.None);

        Assert.Equal(["RackA1", "RackB4"], kept.Select(r => r.Reading.RackId));
    }

    [Fact]
    public async Task Readings_are_found_by_time_with_a_limit_and_after_a_sequence_in_log_order()
    {
        await using var log = Open(await databases.NewDatabaseAsync());
        var first = await log.AppendAsync([TestReadings.At(20), TestReadings.At(40), TestReadings.At(0, module: "Other")], CancellationToken.None);
        var late = await log.AppendAsync([TestReadings.At(10), TestReadings.At(30)], CancellationToken.None);

        var firstTwo = await log.ReadModuleAsync(TestReadings.Module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 2, CancellationToken.None);
        var window = await log.ReadModuleAsync(TestReadings.Module, TestReadings.Start.AddSeconds(10), TestReadings.Start.AddSeconds(40), 100, CancellationToken.None);
        var afterFirst = await log.ReadModuleAfterAsync(TestReadings.Module, first[1], CancellationToken.None);

        Assert.Equal(new[] { 10.0, 20.0 }.Select(s => TestReadings.Start.AddSeconds(s)), firstTwo.Select(r => r.Reading.Timestamp));
        Assert.Equal(new[] { 10.0, 20.0, 30.0 }.Select(s => TestReadings.Start.AddSeconds(s)), window.Select(r => r.Reading.Timestamp));
        Assert.Equal(late, afterFirst.Select(r => r.Sequence));
        Assert.Empty(await log.ReadModuleAsync("Nobody", DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_written_by_a_newer_release_is_refused_and_appends_fail_instead_of_hanging()
    {
        var database = await databases.NewDatabaseAsync();
        await using (var first = Open(database))
        {
            await first.Recovered;
        }

        await databases.Server.QueryAsync($"INSERT INTO hvs_schema_version (version, name) VALUES ({PostgreSqlSchema.CurrentVersion + 1}, 'from-the-future')", database);
        await using var second = Open(database);

        await Assert.ThrowsAsync<InvalidOperationException>(() => second.Recovered);
        await Assert.ThrowsAnyAsync<Exception>(() => second.AppendAsync([TestReadings.At(0)], CancellationToken.None));
        await Assert.ThrowsAnyAsync<Exception>(() => second.ReadModuleAsync(TestReadings.Module, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    private PostgreSqlReadingLog Open(string database, IReadingCommitListener? listener = null) => PostgresDatabases.Open(databases.Server, database, listener);

    private async Task<long> CountAsync(string database, string sql) =>
        long.Parse((await databases.Server.QueryAsync(sql, database)).Trim(), CultureInfo.InvariantCulture);
}
