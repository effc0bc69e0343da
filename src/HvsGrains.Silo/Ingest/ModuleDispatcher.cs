using System.Threading.Channels;
using HvsGrains.Grains;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// Hands every committed reading to its module grain in the order the log committed it. The log tells it
/// of each commit on its writer thread (one queue write per append); a router spreads the readings over
/// lanes by module, and each lane calls its modules' grains one reading after another. A module always
/// uses the same lane, so a reading committed earlier never reaches its module after a newer one, while
/// the lanes, and the requests, run side by side.
/// </summary>
public sealed partial class ModuleDispatcher : IReadingCommitListener, IAsyncDisposable
{
    private readonly Channel<CommittedAppend> _committed = Channel.CreateUnbounded<CommittedAppend>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<List<LoggedReading>>[] _lanes;
    private readonly ModuleReferences _modules;
    private readonly TimeProvider _clock;
    private readonly ILogger<ModuleDispatcher> _logger;
    private readonly Task _router;
    private readonly Task[] _senders;

    public ModuleDispatcher(ModuleReferences modules, IOptions<ModuleDispatchOptions> options, TimeProvider clock, ILogger<ModuleDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _modules = modules;
        _clock = clock;
        _logger = logger;
        _lanes = [.. Enumerable.Range(0, Math.Max(1, options.Value.Lanes))
            .Select(_ => Channel.CreateUnbounded<List<LoggedReading>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }))];
        _router = Task.Run(RouteAsync);
        // Threads of their own, not the thread pool: a grain call made from a pool thread queues the grain's turn
        // on that thread's local queue, which pool threads drain before the global queue where Kestrel puts new
        // requests, so under saturation a health check waited behind every reading admitted (seconds). Called from
        // here, turns join the global queue in arrival order and a health check waits only for those before it.
        _senders = [.. _lanes.Select(lane => Task.Factory.StartNew(() => Send(lane.Reader), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
    }

    /// <summary>On the log's writer thread: only queued, stamped with the time of acceptance.</summary>
    public void Committed(IReadOnlyList<SensorReading> readings, long[] sequences) =>
        _committed.Writer.TryWrite(new CommittedAppend(readings, sequences, _clock.GetUtcNow()));

    public async ValueTask DisposeAsync()
    {
        _committed.Writer.TryComplete();
        await _router;
        await Task.WhenAll(_senders);
    }

    private async Task RouteAsync()
    {
        var reader = _committed.Reader;
        var batches = new List<LoggedReading>?[_lanes.Length];
        while (await reader.WaitToReadAsync())
        {
            // Everything committed meanwhile goes on in one hand-over per lane.
            while (reader.TryRead(out var append))
            {
                Split(append, batches);
            }

            for (var lane = 0; lane < batches.Length; lane++)
            {
                if (batches[lane] is { } batch)
                {
                    _lanes[lane].Writer.TryWrite(batch);
                    batches[lane] = null;
                }
            }
        }

        foreach (var lane in _lanes)
        {
            lane.Writer.TryComplete();
        }
    }

    private void Split(CommittedAppend append, List<LoggedReading>?[] batches)
    {
        var (readings, sequences, acceptedAt) = append;
        for (var i = 0; i < readings.Count; i++)
        {
            if (sequences[i] == 0)
            {
                continue; // a duplicate: not logged, so not applied
            }

            var reading = readings[i];
            var lane = (int)((uint)StringComparer.Ordinal.GetHashCode(reading.ModuleId) % (uint)batches.Length);
            (batches[lane] ??= new List<LoggedReading>((readings.Count / batches.Length) + 8)).Add(new LoggedReading(sequences[i], reading, acceptedAt));
        }
    }

    private void Send(ChannelReader<List<LoggedReading>> lane)
    {
        while (BlockingWait.For(lane.WaitToReadAsync().AsTask()))
        {
            if (!lane.TryRead(out var batch))
            {
                continue;
            }

            var failed = 0;
            Exception? failure = null;
            foreach (var reading in batch)
            {
                try
                {
                    if (!_modules.TryHandToRack(reading.Reading))
                    {
                        _ = _modules.Get(reading.Reading.ModuleId).Ingest(reading); // one-way
                    }
                }
#pragma warning disable CA1031 // A lane must outlive a failed call (the silo stopping): the readings stay in the log.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failed++;
                    failure ??= exception;
                }
            }

            if (failure is not null)
            {
                LogSendFailed(_logger, failure, failed);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} logged readings could not be handed to their modules; they stay in the log")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);

    /// <summary>One committed append, as the log reported it.</summary>
    private sealed record CommittedAppend(IReadOnlyList<SensorReading> Readings, long[] Sequences, DateTimeOffset AcceptedAt);
}
