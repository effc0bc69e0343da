using System.Diagnostics;
using System.Threading.Channels;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring.Drift;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// The module grains' scorer: vectors that arrive while the model is busy are scored together in its
/// next run, like a group commit. A run of many rows costs less than half as much per row as one run
/// each, and one scoring thread keeps the grains' turns from contending inside ONNX Runtime.
/// A lone vector is scored at once; nothing waits for a batch to fill.
/// </summary>
public sealed class BatchingHazardScorer : IHazardScorer, IDisposable
{
    /// <summary>Most vectors per run: enough to amortise a run, small enough to keep each wait short.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HazardModelManager _models;
    private readonly ScoringMetrics _metrics;
    private readonly DriftMonitor? _drift;
    private readonly Thread _thread;

    public BatchingHazardScorer(HazardModelManager models, ScoringMetrics metrics, DriftMonitor? drift = null)
    {
        _models = models;
        _metrics = metrics;
        _drift = drift is { Enabled: true } ? drift : null; // off: not even a call per batch
        // A thread of its own: a run must not wait for a thread-pool thread while grains are busy.
        _thread = new Thread(ScoreLoop) { IsBackground = true, Name = "Hazard scoring" };
        _thread.Start();
    }

    public ValueTask<HazardScore?> ScoreAsync(FeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (_models.Current is null)
        {
            return ValueTask.FromResult<HazardScore?>(null); // rules only: no model to wait for
        }

        var request = new Request(features);
        return _queue.Writer.TryWrite(request)
            ? new ValueTask<HazardScore?>(request.Completion.Task)
            : ValueTask.FromResult<HazardScore?>(null); // closing down: the rules decide
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _thread.Join();
    }

    private void ScoreLoop()
    {
        var batch = new List<Request>(MaxBatch);
        var vectors = new List<FeatureVector>(MaxBatch);
        var scores = new HazardScore?[MaxBatch];
        while (BlockingWait.For(_queue.Reader.WaitToReadAsync().AsTask()))
        {
            batch.Clear();
            vectors.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var request))
            {
                batch.Add(request);
                vectors.Add(request.Features);
            }

            try
            {
                _models.Score(vectors, scores);
            }
#pragma warning disable CA1031 // Whatever went wrong, the waiting readings are decided by the rules, never left hanging.
            catch (Exception)
#pragma warning restore CA1031
            {
                Array.Clear(scores);
            }

            var now = Stopwatch.GetTimestamp();
            for (var i = 0; i < batch.Count; i++)
            {
                _metrics.Waited(Stopwatch.GetElapsedTime(batch[i].EnqueuedAt, now));
                batch[i].Completion.TrySetResult(scores[i]);
            }

            _drift?.Observe(vectors); // after the readings are answered: drift watch never delays a score
        }
    }

    private sealed class Request(FeatureVector features)
    {
        public FeatureVector Features { get; } = features;

        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();

        // Continuations are not forced onto the thread pool: a grain's await resumes on its activation's
        // scheduler anyway, so the scoring thread only queues it there (one hop per reading, not two).
        public TaskCompletionSource<HazardScore?> Completion { get; } = new();
    }
}
