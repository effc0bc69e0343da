using System.Threading.Channels;
using HvsGrains.Grains.Readings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// The readings log in SQLite with group commit: one writer drains every append waiting in its
/// queue into a single transaction (synchronous=FULL, one fsync) and only then completes them,
/// so acknowledgement implies durability while many concurrent batches share the cost.
/// </summary>
public sealed partial class SqliteReadingLog : IReadingLog, IAsyncDisposable
{
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ReadingLogOptions _options;
    private readonly string _connectionString;
    private readonly ILogger<SqliteReadingLog> _logger;
    private readonly Task _writer;

    public SqliteReadingLog(IOptions<ReadingLogOptions> options, ILogger<SqliteReadingLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = _options.DatabasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_options.DatabasePath))!);
        using (var connection = Open())
        {
            ReadingLogSchema.Create(connection);
        }

        // A thread of its own: commits must not wait for a thread-pool thread while grains are busy.
        _writer = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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
            throw new ObjectDisposedException(nameof(SqliteReadingLog), "The readings log is closed.");
        }

        // The caller may stop waiting, but the append itself is not withdrawn once queued.
        return pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedReading>> ReadModuleAsync(string moduleId, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ReadingLogSchema.Columns} FROM {ReadingLogSchema.From} WHERE m.module_id = $module AND r.ts_utc >= $from AND r.ts_utc < $to ORDER BY r.ts_utc LIMIT $limit";
        command.Parameters.AddWithValue("$module", moduleId);
        command.Parameters.AddWithValue("$from", from.UtcTicks);
        command.Parameters.AddWithValue("$to", to.UtcTicks);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<LoggedReading>> ReadModuleAfterAsync(string moduleId, long afterSequence, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ReadingLogSchema.Columns} FROM {ReadingLogSchema.From} WHERE m.module_id = $module AND r.seq > $after ORDER BY r.seq";
        command.Parameters.AddWithValue("$module", moduleId);
        command.Parameters.AddWithValue("$after", afterSequence);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private static async Task<IReadOnlyList<LoggedReading>> ReadAllAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var result = new List<LoggedReading>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(ReadingLogSchema.ReadRow(reader));
        }

        return result;
    }

    private void WriteLoop()
    {
        using var writer = new ReadingLogWriter(_connectionString);
        var group = new List<PendingAppend>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            var rows = 0;
            while (rows < _options.MaxRowsPerCommit && _queue.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                rows += pending.Readings.Count;
            }

            CommitGroup(writer, group, rows);
        }
    }

    private void CommitGroup(ReadingLogWriter writer, List<PendingAppend> group, int rows)
    {
        try
        {
            writer.Begin();
            var results = group.Select(p => writer.Insert(p.Readings)).ToList();
            writer.Commit();
            for (var i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(results[i]);
            }
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
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Readings log commit of {Rows} readings failed; the requests were answered with an error")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int rows);

    private sealed class PendingAppend(IReadOnlyList<SensorReading> readings)
    {
        public IReadOnlyList<SensorReading> Readings { get; } = readings;

        public TaskCompletionSource<long[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
