using System.Diagnostics;
using System.Threading.Channels;
using HvsGrains.Grains.Cluster;
using HvsGrains.Grains.Readings;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// The readings log in the cluster's PostgreSQL, shared by every silo, with group commit: one writer per silo drains
/// every append waiting in its queue into one transaction (<see cref="PostgreSqlGroupInsert"/>) and completes them
/// only after the commit, so acknowledgement implies durability. The (module, time) key is in the database, so a
/// reading posted to two silos is logged once. When the database fails, appends throw
/// <see cref="ReadingLogUnavailableException"/> and nothing is reported for them; the writer connects again by itself.
/// </summary>
public sealed partial class PostgreSqlReadingLog : IReadingLog, IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly PostgreSqlReadingLogOptions _options;
    private readonly NpgsqlDataSource _writerDatabase;
    private readonly NpgsqlDataSource _readDatabase;
    private readonly string _probeConnectionString;
    private readonly ILogger<PostgreSqlReadingLog> _logger;
    private readonly IReadingCommitListener? _listener;
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _closing = new();
    private readonly PostgreSqlReadingQueries _queries;
    private readonly Task _writer;
    private int _disposed;

    // The writer thread's own state.
    private Task<bool>? _waiting;
    private NpgsqlConnection? _connection;
    private PostgreSqlGroupInsert? _insert;
    private Exception? _lastFailure;
    private long _failedAt;
    private List<(IReadOnlyList<SensorReading> Readings, long[] Sequences)>? _inDoubt;

    public PostgreSqlReadingLog(IOptions<PostgreSqlReadingLogOptions> options, ILogger<PostgreSqlReadingLog> logger, IReadingCommitListener? listener = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.ConnectionString, "Hvs:Cluster:ConnectionString");
        _logger = logger;
        _listener = listener;
        var connection = new NpgsqlConnectionStringBuilder(_options.ConnectionString);
        connection.ApplicationName ??= "HvsGrains readings log";
        _readDatabase = NpgsqlDataSource.Create(connection.ConnectionString);
        // The writer's every statement, COMMIT included, gives up after the commit timeout instead of hanging the appends.
        // Not pooled: the writer holds its one connection for good, and the one it opens after a failure must be new, not a
        // pooled leftover of before a database restart.
        _writerDatabase = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            CommandTimeout = Seconds(_options.CommitTimeout),
            Pooling = false,
        }.ConnectionString);
        // Readiness opens a connection of its own each time: a pooled one could be a dead leftover of before a restart.
        _probeConnectionString = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            Pooling = false,
            Timeout = Seconds(_options.ProbeTimeout),
            CommandTimeout = Seconds(_options.ProbeTimeout),
        }.ConnectionString;
        _queries = new PostgreSqlReadingQueries(_readDatabase);

        // A thread of its own, as the SQLite log's: commits must not wait for a thread-pool thread while grains are busy.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Completes once the schema is there and the writer's connection works (the database is retried until then).</summary>
    public Task Recovered => _recovered.Task;

    public async Task<Exception?> CheckAvailableAsync(CancellationToken cancellationToken)
    {
        // Ready means appends are taken: the writer refuses them for RetryDelay after a failure, database back or not.
        if (Volatile.Read(ref _lastFailure) is { } failure && Stopwatch.GetElapsedTime(Volatile.Read(ref _failedAt)) < _options.RetryDelay)
        {
            return new ReadingLogUnavailableException("The readings log's database failed moments ago; the writer connects again shortly.", failure);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProbeTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(_probeConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && (PostgreSqlConnectionLoss.IsTransient(exception) || exception is NpgsqlException or OperationCanceledException))
        {
            return new ReadingLogUnavailableException("The readings log's database cannot be reached.", exception);
        }
    }

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
            throw _recovered.Task.Exception is { } failure
                ? new ReadingLogUnavailableException("The readings log could not be opened; no reading is accepted.", failure.GetBaseException())
                : new ObjectDisposedException(nameof(PostgreSqlReadingLog), "The readings log is closed.");
        }

        // The caller may stop waiting, but the append itself is not withdrawn once queued.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
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
        await _closing.CancelAsync();
        await _writer;
        _recovered.TrySetCanceled();
        await _writerDatabase.DisposeAsync();
        await _readDatabase.DisposeAsync();
        _closing.Dispose();
    }

    private static int Seconds(TimeSpan timeout) => Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));

    private void WriteLoop()
    {
        if (!Open())
        {
            return;
        }

        var group = new List<PendingAppend>();
        while (true)
        {
            if (!_queue.Reader.TryPeek(out _))
            {
                _waiting ??= _queue.Reader.WaitToReadAsync().AsTask();
                if (_inDoubt is not null && !BlockingWait.For(_waiting, _options.RetryDelay))
                {
                    // Idle after a commit of unknown outcome: find out, so readings it did log still reach their modules.
                    TryConnect();
                    continue;
                }

                if (!BlockingWait.For(_waiting))
                {
                    break; // closed
                }

                _waiting = null;
            }

            var rows = PendingAppend.TakeGroup(_queue.Reader, group, _options.MaxRowsPerCommit);

            CommitGroup(group, rows);
        }

        Disconnect(null);
    }

    /// <summary>Ensures the schema and connects; retries while the database is unreachable. False when the log closed or cannot be used.</summary>
    private bool Open()
    {
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var applied = PostgreSqlSchema.EnsureCreatedAsync(_options.ConnectionString, _closing.Token).GetAwaiter().GetResult();
                Connect();
                _lastFailure = null;
                LogOpened(_logger, PostgreSqlSchema.CurrentVersion, applied.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                _recovered.TrySetResult();
                return true;
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                RefuseWaiting(new ObjectDisposedException(nameof(PostgreSqlReadingLog), "The readings log is closed."));
                return false;
            }
            catch (Exception exception) when (PostgreSqlConnectionLoss.IsTransient(exception) || exception is ReadingLogUnavailableException)
            {
                Disconnect(exception);
                LogUnreachableAtStart(_logger, exception, _options.RetryDelay.TotalSeconds);
                if (!RefuseArrivalsFor(_options.RetryDelay, exception))
                {
                    return false;
                }
            }
#pragma warning disable CA1031 // Anything else (a database of a newer release, a missing database) will not pass by itself.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogOpenFailed(_logger, exception);
                _recovered.TrySetException(exception);
                _queue.Writer.TryComplete(exception);
                RefuseWaiting(new ReadingLogUnavailableException("The readings log could not be opened; no reading is accepted.", exception));
                return false;
            }
        }
    }

    private void CommitGroup(List<PendingAppend> group, int rows)
    {
        List<long[]>? results = null;
        try
        {
            var reused = _connection is not null;
            try
            {
                results = InsertAndCommit(group);
            }
            catch (Exception exception) when (reused && _inDoubt is null && PostgreSqlConnectionLoss.Is(exception))
            {
                PostgreSqlConnectionLoss.ForgetIdleConnections(_readDatabase);
                // A connection kept open across a database restart fails on its first use. Nothing reached COMMIT, so
                // nothing is logged: the group goes once more on a fresh connection rather than back to its gateways.
                LogStaleConnection(_logger, exception);
                Disconnect(null);
                results = InsertAndCommit(group);
            }
        }
#pragma warning disable CA1031 // A failed commit fails its waiting requests; the writer keeps serving the next ones.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            if (exception is not ReadingLogUnavailableException)
            {
                LogCommitFailed(_logger, exception, rows);
                Disconnect(exception);
            }

            var unavailable = exception as ReadingLogUnavailableException
                ?? new ReadingLogUnavailableException("The readings could not be committed to the readings log; none was acknowledged.", exception);
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(unavailable);
            }

            return;
        }

        _lastFailure = null;
        // In commit order, and before each caller hears of its commit (ModuleDispatcher relies on it).
        for (var i = 0; i < group.Count; i++)
        {
            TellListener(group[i].Readings, results[i]);
            group[i].Completion.TrySetResult(results[i]);
        }
    }

    private List<long[]> InsertAndCommit(List<PendingAppend> group)
    {
        Connect();
        using var transaction = _connection!.BeginTransaction();
        var results = _insert!.Insert([.. group.Select(p => p.Readings)]);
        try
        {
            transaction.Commit();
        }
        catch
        {
            // The database may have committed before the connection broke; the next connection finds out.
            _inDoubt = [.. group.Select((p, i) => (p.Readings, results[i]))];
            throw;
        }

        return results;
    }

    /// <summary>
    /// The writer's connection, opened again after a failure once <see cref="PostgreSqlReadingLogOptions.RetryDelay"/> has
    /// passed (until then appends are refused at once, not each after a connection timeout). A new connection first
    /// settles a commit whose outcome the failure left unknown.
    /// </summary>
    private void Connect()
    {
        if (_connection is not null)
        {
            return;
        }

        if (_lastFailure is { } failure && Stopwatch.GetElapsedTime(_failedAt) < _options.RetryDelay)
        {
            throw new ReadingLogUnavailableException("The readings log's database failed moments ago; readings are refused until it answers again.", failure);
        }

        _connection = _writerDatabase.OpenConnection();
        _insert = new PostgreSqlGroupInsert(_connection, _options.CommitTimeout);
        SettleInDoubt();
        if (_lastFailure is not null)
        {
            LogReconnected(_logger);
        }
    }

    private void TryConnect()
    {
        try
        {
            Connect();
        }
        catch (ReadingLogUnavailableException)
        {
            // Too soon after the last failure: tried again later.
        }
#pragma warning disable CA1031 // The database is still away; the next append or idle pass tries again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Disconnect(exception);
        }
    }

    /// <summary>Tells the listener of a group whose commit failed in flight but did reach the database (its readings are logged).</summary>
    private void SettleInDoubt()
    {
        if (_inDoubt is not { } group)
        {
            return;
        }

        var probe = group.SelectMany(g => g.Sequences).FirstOrDefault(s => s != 0);
        if (probe != 0)
        {
            using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM hvs_readings WHERE seq = $1)", _connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = probe });
            var committed = (bool)command.ExecuteScalar()!;
            LogInDoubtSettled(_logger, group.Sum(g => g.Readings.Count), committed);
            if (committed)
            {
                foreach (var (readings, sequences) in group)
                {
                    TellListener(readings, sequences);
                }
            }
        }

        _inDoubt = null;
    }

    private void Disconnect(Exception? failure)
    {
        if (failure is not null)
        {
            Volatile.Write(ref _failedAt, Stopwatch.GetTimestamp());
            Volatile.Write(ref _lastFailure, failure); // after the time: readiness reads them in the other order
        }

        try
        {
            _insert?.Dispose();
            _connection?.Dispose();
        }
#pragma warning disable CA1031 // A broken connection may fail even its disposal; it is dropped either way.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogDisconnectFailed(_logger, exception);
        }

        _insert = null;
        _connection = null;
    }

    /// <summary>While the database is unreachable at start, appends are refused as they come; false once the log closed.</summary>
    private bool RefuseArrivalsFor(TimeSpan delay, Exception failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var left = delay - Stopwatch.GetElapsedTime(started);
            _waiting ??= _queue.Reader.WaitToReadAsync().AsTask();
            if (left <= TimeSpan.Zero || !BlockingWait.For(_waiting, left))
            {
                return true;
            }

            if (!_waiting.GetAwaiter().GetResult())
            {
                return false;
            }

            _waiting = null;
            RefuseWaiting(new ReadingLogUnavailableException("The readings log's database cannot be reached; none of the readings was acknowledged.", failure));
        }
    }

    private void RefuseWaiting(Exception exception)
    {
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Completion.TrySetException(exception);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Readings log open in PostgreSQL (schema version {Version}, {Applied} migrations applied now); took {ElapsedMs:0} ms")]
    private static partial void LogOpened(ILogger logger, int version, int applied, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The readings log's database cannot be reached; the silo stays unready and refuses readings; trying again in {DelaySeconds} s")]
    private static partial void LogUnreachableAtStart(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The readings log could not be opened in PostgreSQL; the silo stays unready and no reading is accepted")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Readings log commit of {Rows} readings failed; the requests were answered with an error and the writer connects again")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows);

    [LoggerMessage(Level = LogLevel.Information, Message = "The readings log's database answers again")]
    private static partial void LogReconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The readings log's connection was lost while idle (the database restarted?); the commit goes again on a new connection")]
    private static partial void LogStaleConnection(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A commit of {Rows} readings whose outcome was unknown is settled: committed = {Committed}")]
    private static partial void LogInDoubtSettled(ILogger logger, int rows, bool committed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing a failed connection of the readings log failed")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A listener of the readings log failed on {Rows} committed readings; they stay logged, and history has them")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception, int rows);
}
