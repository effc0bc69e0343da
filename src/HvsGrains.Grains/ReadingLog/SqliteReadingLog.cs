using System.Diagnostics;
using System.Threading.Channels;
using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// The readings log in SQLite with group commit: one writer drains every append waiting in its
/// queue into a single transaction (synchronous=FULL, one fsync) and only then completes them,
/// so acknowledgement implies durability while many concurrent batches share the cost. After a start the
/// writer first finds again what a crash left outside the index; queries wait for that (<see cref="Recovered"/>).
/// </summary>
public sealed partial class SqliteReadingLog : IReadingLog, IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ReadingLogOptions _options;
    private readonly string _connectionString;
    private readonly ILogger<SqliteReadingLog> _logger;
    private readonly Task _writer;
    private readonly ReadingLogCheckpointer _checkpointer;
    private readonly PendingIndex _pending = new();
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IReadingCommitListener? _listener;
    private int _disposed;
    private readonly ReadingLogQueries _queries;

    public SqliteReadingLog(IOptions<ReadingLogOptions> options, ILogger<SqliteReadingLog> logger, IReadingCommitListener? listener = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _listener = listener;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _options.DatabasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_options.DatabasePath))!);
        using (var connection = Open())
        {
            ReadingLogSchema.Create(connection);
        }

        _queries = new ReadingLogQueries(Open, _pending);
        _checkpointer = new ReadingLogCheckpointer(_connectionString, _options.CheckpointInterval, logger);

        // A thread of its own: commits must not wait for a thread-pool thread while grains are busy.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public Task Recovered => _recovered.Task;

    /// <summary>A local file does not come and go: once opened, the log is available (a failed commit still fails its appends).</summary>
    public Task<Exception?> CheckAvailableAsync(CancellationToken cancellationToken) => Task.FromResult<Exception?>(null);

    public Task<long[]> AppendAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return Task.FromResult(Array.Empty<long>());
        }

        var pending = new PendingAppend(readings);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(SqliteReadingLog), "The readings log is closed.");
        }

        // The caller may stop waiting, but the append itself is not withdrawn once queued.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Checkpoint passes run so far (the WAL file is copied into the database in the background).</summary>
    internal long CheckpointPasses => _checkpointer.Passes;

    public async Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        // Until recovery is done, readings outside the index are not yet known to the queries.
        await _recovered.Task.WaitAsync(cancellationToken);
        return await _queries.ByTimeAsync(moduleId, from, to, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedReading>> ReadModuleAfterAsync(string moduleId, long afterSequence, CancellationToken cancellationToken)
    {
        await _recovered.Task.WaitAsync(cancellationToken);
        return await _queries.AfterSequenceAsync(moduleId, afterSequence, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as IReadingLog, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _writer;
        _checkpointer.Dispose();
    }

    private void WriteLoop()
    {
        using var writer = Recover();
        if (writer is null)
        {
            return;
        }

        var group = new List<PendingAppend>();
        Task<bool>? waiting = null;
        var lastSlice = Stopwatch.GetTimestamp();
        while (true)
        {
            if (!_queue.Reader.TryPeek(out _))
            {
                waiting ??= _queue.Reader.WaitToReadAsync().AsTask();
                // Nothing to append for a moment: index a slice of what waits, so queries and restarts find it there.
                if (_pending.Count > 0 && !BlockingWait.For(waiting, _options.IdleIndexDelay))
                {
                    IndexSlice(writer);
                    lastSlice = Stopwatch.GetTimestamp();
                    continue;
                }

                if (!BlockingWait.For(waiting))
                {
                    break; // closed
                }

                waiting = null;
            }

            var rows = PendingAppend.TakeGroup(_queue.Reader, group, _options.MaxRowsPerCommit);

            CommitGroup(writer, group, rows);
            // A full backlog, or a steady trickle that never leaves the log idle: index a slice between commits.
            if (_pending.Count >= _options.IndexBacklog
                || (_pending.Count > 0 && Stopwatch.GetElapsedTime(lastSlice) > _options.IndexAtLeastEvery))
            {
                IndexSlice(writer);
                lastSlice = Stopwatch.GetTimestamp();
            }
        }

        // Closing: index the rest, so the next start has nothing to re-read.
        while (_pending.Count > 0 && IndexSlice(writer) > 0)
        {
        }
    }

    /// <summary>Opens the writer, which first rebuilds what waits for the index; null when the log cannot be opened.</summary>
    private ReadingLogWriter? Recover()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var writer = new ReadingLogWriter(_connectionString, _pending);
            LogRecovered(_logger, _pending.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _recovered.TrySetResult();
            return writer;
        }
#pragma warning disable CA1031 // Whatever stops the log from opening fails readiness, queries and appends alike.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRecoveryFailed(_logger, exception);
            _recovered.TrySetException(exception);
            _queue.Writer.TryComplete(exception);
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Completion.TrySetException(exception);
            }

            return null;
        }
    }

    private int IndexSlice(ReadingLogWriter writer)
    {
        try
        {
            return writer.IndexSlice(_options.IndexSliceReadings);
        }
        catch (SqliteException exception)
        {
            // The readings stay logged and readable; indexing is tried again with the next slice.
            LogIndexFailed(_logger, exception);
            return 0;
        }
    }

    private void CommitGroup(ReadingLogWriter writer, List<PendingAppend> group, int rows)
    {
        List<long[]> results;
        try
        {
            writer.Begin();
            results = group.Select(p => writer.Insert(p.Readings)).ToList();
            writer.Commit();
        }
#pragma warning disable CA1031 // A failed commit fails its waiting requests; the writer keeps serving the next ones.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogCommitFailed(_logger, exception, rows);
            writer.Rollback();
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(exception);
            }

            return;
        }

        // In commit order, and before each caller hears of its commit.
        for (var i = 0; i < group.Count; i++)
        {
            TellListener(group[i].Readings, results[i]);
            group[i].Completion.TrySetResult(results[i]);
        }
    }

    private void TellListener(IReadOnlyList<SensorReading> readings, long[] sequences)
    {
        try
        {
            _listener?.Committed(readings, sequences);
        }
#pragma warning disable CA1031 // The readings are committed: a listener's failure must not fail the append.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogListenerFailed(_logger, exception, readings.Count);
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Readings log recovered: {Waiting} readings wait for the index; took {ElapsedMs:0} ms")]
    private static partial void LogRecovered(ILogger logger, int waiting, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The readings log could not be opened; the silo stays unready and no reading is accepted")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A listener of the readings log failed on {Rows} committed readings; they stay logged, and history has them")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing a slice of the readings log failed; the readings stay logged and are indexed later")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Readings log commit of {Rows} readings failed; the requests were answered with an error")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows);
}
