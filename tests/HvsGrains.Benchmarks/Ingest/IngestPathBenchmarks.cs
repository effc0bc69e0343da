using BenchmarkDotNet.Attributes;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HvsGrains.Benchmarks.Ingest;

/// <summary>
/// The stages of one reading through the silo, each alone, on the ingest workload's own batches
/// (500 modules, one reading each). Every Mean is per READING (OperationsPerInvoke), so the stages add up:
/// readings/s one core can do = 1e9 / Σ Mean(ns).
/// <list type="bullet">
/// <item><see cref="Parse_JsonBatch500"/>: <see cref="JsonReadingBatchReader.Read"/> of a 500-reading body (validation included).</item>
/// <item><see cref="LogAppend_Batch500"/>: <see cref="SqliteReadingLog.AppendAsync"/> of one 500-reading batch, alone in its
/// commit (synchronous=FULL, one fsync per commit); <see cref="LogAppend_4Concurrent"/>: four at once, as four
/// connections produce them, sharing a group commit.</item>
/// <item><see cref="FeaturesAndPolicy_10000Modules"/>: <see cref="ModuleFeatureState.Apply"/> +
/// <see cref="HazardPolicy.Evaluate(FeatureVector, double?, ModelThresholds?, HazardMemory, DateTimeOffset)"/>
/// round-robin over 10,000 module states (cache-cold as in the silo), a reading copy per call included.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class IngestPathBenchmarks
{
    private const int Batch = 500;
    private const int FeatureModules = 10_000;

    private byte[] _body = [];
    private JsonReadingBatchReader _reader = null!;
    private DateTimeOffset _now;
    private SensorReading[] _batch = [];
    private SqliteReadingLog _log = null!;
    private string _folder = "";
    private long _round;
    private ModuleFeatureState[] _states = [];
    private HazardMemory[] _memories = [];
    private SensorReading[] _moduleReadings = [];
    private HazardPolicy _policy = null!;
    private long _featureRound;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.UtcNow;
        var workload = new IngestWorkload(Batch, Batch, _now.AddHours(-1));
        var buffer = new byte[workload.MaxBatchBytes];
        _body = buffer.AsSpan(0, workload.Write(0, buffer)).ToArray();
        _reader = new JsonReadingBatchReader(new ReadingValidator(), new IngestOptions());
        _batch = [.. _reader.Read(_body, _now).Readings.Select(r => r.Reading)];
        if (_batch.Length != Batch)
        {
            throw new InvalidOperationException($"parsed {_batch.Length} of {Batch}");
        }

        _folder = Path.Combine(Path.GetTempPath(), "hvs-benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _log = new SqliteReadingLog(Options.Create(new ReadingLogOptions { DatabasePath = Path.Combine(_folder, "readings.db") }), NullLogger<SqliteReadingLog>.Instance);

        var modules = new IngestWorkload(FeatureModules, Batch, _now.AddDays(-10));
        _moduleReadings = new SensorReading[FeatureModules];
        for (var slice = 0; slice < modules.Slices; slice++)
        {
            var body = new byte[modules.MaxBatchBytes];
            var parsed = _reader.Read(body.AsSpan(0, modules.Write(slice, body)), _now);
            foreach (var r in parsed.Readings)
            {
                _moduleReadings[(slice * Batch) + r.Index] = r.Reading;
            }
        }

        _states = [.. _moduleReadings.Select(r => new ModuleFeatureState(r.ModuleId))];
        _memories = [.. _moduleReadings.Select(_ => HazardMemory.Initial)];
        _policy = new HazardPolicy(new HazardRuleOptions());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Parse_JsonBatch500() => _reader.Read(_body, _now).Readings.Count;

    [Benchmark(OperationsPerInvoke = Batch)]
    public async Task<int> LogAppend_Batch500() => (await _log.AppendAsync(NextBatch(), CancellationToken.None)).Length;

    [Benchmark(OperationsPerInvoke = Batch * 4)]
    public async Task<int> LogAppend_4Concurrent()
    {
        var appends = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _log.AppendAsync(NextBatch(), CancellationToken.None)));
        return appends.Sum(a => a.Length);
    }

    [Benchmark(OperationsPerInvoke = FeatureModules)]
    public int FeaturesAndPolicy_10000Modules()
    {
        var at = _now.AddDays(-10).AddSeconds(++_featureRound);
        var applied = 0;
        for (var m = 0; m < FeatureModules; m++)
        {
            var state = _states[m];
            if (state.Apply(_moduleReadings[m] with { Timestamp = at }) != ApplyOutcome.Applied)
            {
                continue;
            }

            var decision = _policy.Evaluate(state.Current!, null, null, _memories[m], at);
            _memories[m] = decision.Memory;
            applied++;
        }

        return applied;
    }

    /// <summary>The same 500 modules one second later than the last call: never a duplicate.</summary>
    private SensorReading[] NextBatch()
    {
        var at = _now.AddDays(-1).AddSeconds(Interlocked.Increment(ref _round));
        var batch = new SensorReading[Batch];
        for (var i = 0; i < Batch; i++)
        {
            batch[i] = _batch[i] with { Timestamp = at };
        }

        return batch;
    }
}
