using System.Collections.Concurrent;
using System.Globalization;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Grains.Tests.ReadingLog;

/// <summary>The database taken away under the log (a server of its own per test): refused, never falsely acknowledged, and back by itself.</summary>
public sealed class PostgreSqlOutageTests
{
    [Fact]
    public async Task With_PostgreSQL_stopped_mid_feed_appends_fail_and_every_acknowledged_reading_is_there_after_the_restart()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await pg.CreateDatabaseAsync("outage");
        var listener = new RecordingCommitListener();
        await using var log = PostgresDatabases.Open(pg, "outage", listener);
        await log.Recovered;
        var acknowledged = new ConcurrentDictionary<long, SensorReading>();
        var refused = 0;
        var unexpected = new ConcurrentBag<Exception>();
        using var stopFeed = new CancellationTokenSource();

        var gateways = Enumerable.Range(0, 3).Select(g => Task.Run(async () =>
        {
            for (var batch = 0; !stopFeed.IsCancellationRequested; batch++)
            {
                var readings = Enumerable.Range(0, 20).Select(i => TestReadings.At((batch * 20) + i, module: $"Outage_M{g}")).ToList();
                try
                {
                    var sequences = await log.AppendAsync(readings, CancellationToken.None);
                    for (var i = 0; i < readings.Count; i++)
                    {
                        acknowledged[sequences[i]] = readings[i];
                    }
                }
                catch (ReadingLogUnavailableException)
                {
                    Interlocked.Increment(ref refused);
                }
#pragma warning disable CA1031 // Collected and asserted on: any other failure fails the test.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    unexpected.Add(exception);
                }

                await Task.Delay(2);
            }
        })).ToList();

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= 600), attempts: 6_000), "the feed did not get going");
        await pg.StopAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref refused) >= 6), attempts: 6_000), "appends were not refused");
        var unavailableWhileDown = await log.CheckAvailableAsync(CancellationToken.None);
        var acknowledgedBeforeRestart = acknowledged.Count;
        await pg.StartAsync();
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= acknowledgedBeforeRestart + 600), attempts: 6_000), "appends did not succeed again");
        await stopFeed.CancelAsync();
        await Task.WhenAll(gateways);
        var last = await log.AppendAsync([TestReadings.At(1_000_000, module: "Outage_after")], CancellationToken.None);

        Assert.Empty(unexpected);
        Assert.IsType<ReadingLogUnavailableException>(unavailableWhileDown);
        Assert.Null(await log.CheckAvailableAsync(CancellationToken.None));
        Assert.True(last[0] > 0);
        var stored = (await pg.QueryAsync("SELECT seq || ' ' || module_id || ' ' || ts_ticks FROM hvs_readings", "outage"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(p => long.Parse(p[0], CultureInfo.InvariantCulture), p => (Module: p[1], Ticks: long.Parse(p[2], CultureInfo.InvariantCulture)));
        // No false acknowledgement: every reading that got a sequence is in the log under it.
        Assert.All(acknowledged, a => Assert.Equal((a.Value.ModuleId, a.Value.Timestamp.UtcTicks), stored[a.Key]));
        // Modules hear of exactly what the log holds, each reading once, whatever the outage did to commits in flight.
        var heard = listener.Calls.SelectMany(c => c.Sequences).Where(s => s != 0).ToList();
        Assert.Equal(heard.Count, heard.Distinct().Count());
        Assert.Equal(stored.Keys.Order(), heard.Order());
    }

    [Fact]
    public async Task A_log_opened_while_the_database_is_down_refuses_appends_and_opens_by_itself_once_it_is_back()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await pg.CreateDatabaseAsync("late");
        await pg.StopAsync();
        var listener = new RecordingCommitListener();
        await using var log = PostgresDatabases.Open(pg, "late", listener);

        await Assert.ThrowsAsync<ReadingLogUnavailableException>(() => log.AppendAsync([TestReadings.At(0)], CancellationToken.None));
        var recoveredWhileDown = log.Recovered.IsCompleted;
        await pg.StartAsync();
        await log.Recovered.WaitAsync(TimeSpan.FromMinutes(1));
        var sequences = await log.AppendAsync([TestReadings.At(0)], CancellationToken.None);

        Assert.False(recoveredWhileDown);
        Assert.True(sequences[0] > 0);
        Assert.Equal(sequences, Assert.Single(listener.Calls).Sequences);
    }

    [Fact]
    public async Task A_database_restart_while_the_log_is_idle_does_not_refuse_the_next_append()
    {
        await using var pg = await PostgresServer.StartNewAsync();
        await pg.CreateDatabaseAsync("idle");
        var listener = new RecordingCommitListener();
        await using var log = PostgresDatabases.Open(pg, "idle", listener);
        await log.Recovered;
        var before = await log.AppendAsync([TestReadings.At(0)], CancellationToken.None);

        // No append while it is down: the writer's open connection goes stale without the log noticing.
        await pg.StopAsync();
        await pg.StartAsync();
        var after = await log.AppendAsync([TestReadings.At(1)], CancellationToken.None);

        Assert.True(after[0] > before[0]);
        Assert.Equal([before, after], listener.Calls.Select(c => c.Sequences));
        Assert.Equal("2", (await pg.QueryAsync("SELECT count(*) FROM hvs_readings", "idle")).Trim());
    }
}
