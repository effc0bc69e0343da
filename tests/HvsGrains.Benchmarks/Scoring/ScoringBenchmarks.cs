using BenchmarkDotNet.Attributes;
using HvsGrains.Grains.ModelScoring.Onnx;

namespace HvsGrains.Benchmarks.Scoring;

/// <summary>One row at a time (what a module grain does per reading) against batches across modules.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ScoringBenchmarks
{
    private OnnxHazardModelSession _session = null!;
    private float[][] _rows = null!;
    private float[] _batch = null!;
    private float[] _probabilities = null!;

    [Params(64, 512)]
    public int BatchRows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = new OnnxHazardModelSession(BundledModel.Bytes());
        _rows = BundledModel.Rows();
        _batch = Enumerable.Range(0, BatchRows).SelectMany(i => _rows[i % _rows.Length]).ToArray();
        _probabilities = new float[BatchRows];
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = 64)]
    public float ScoreOneRowAtATime()
    {
        var sum = 0f;
        for (var i = 0; i < 64; i++)
        {
            sum += _session.ScoreOne(_rows[i % _rows.Length]);
        }

        return sum;
    }

    [Benchmark]
    public float ScoreBatch()
    {
        _session.ScoreBatch(_batch, BatchRows, _probabilities);
        return _probabilities[0];
    }
}
