using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HvsGrains.Grains.ReadingLog;

/// <summary>
/// Copies the log's write-ahead file into the database on a connection of its own, so the writer's
/// commits never carry a checkpoint (they made commits 10–20 ms under load). Passive checkpoints do
/// not block the writer; once everything is copied the writer starts the WAL file over, so it stays small.
/// </summary>
internal sealed partial class ReadingLogCheckpointer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public ReadingLogCheckpointer(string connectionString, TimeSpan interval, ILogger logger)
    {
        _logger = logger;
        _interval = interval;
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute("PRAGMA synchronous = FULL;");
        _thread = new Thread(Run) { IsBackground = true, Name = "Readings log checkpoints" };
        _thread.Start();
    }

    /// <summary>Checkpoint passes run so far.</summary>
    public long Passes { get; private set; }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        try
        {
            Execute("PRAGMA wal_checkpoint(TRUNCATE);"); // a clean hand-over to the next start
        }
        catch (SqliteException exception)
        {
            LogCheckpointFailed(_logger, exception);
        }

        _connection.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        // A pause between passes, so the copies are of many commits at once and an idle log costs nothing.
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            try
            {
                CheckpointPassive();
            }
            catch (SqliteException exception)
            {
                LogCheckpointFailed(_logger, exception);
            }
        }
    }

    private void CheckpointPassive()
    {
        Execute("PRAGMA wal_checkpoint(PASSIVE);");
        Passes++;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readings log checkpoint failed; it is retried, and the log stays durable in its WAL file")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
