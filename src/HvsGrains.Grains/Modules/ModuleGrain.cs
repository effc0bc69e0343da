using HvsGrains.Grains.Features;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Modules;

/// <summary>
/// One battery module. Each reading is one turn: features, score, hazard policy, and a report to
/// the rack when something material changed. State is a snapshot written on level changes, every
/// snapshot interval and at deactivation; after a crash the readings log fills the gap.
/// </summary>
[GrainType("module")]
public sealed partial class ModuleGrain(
    [PersistentState("module")] IPersistentState<ModuleState> state,
    IReadingLog log,
    HazardPolicy policy,
    IHazardScorer scorer,
    ModuleMetrics metrics,
    IOptions<ModuleOptions> options,
    IOptions<HazardRuleOptions> rules,
    TimeProvider clock,
    ILogger<ModuleGrain> logger) : Grain, IModuleGrain
{
    private readonly TimeSpan _snapshotInterval = options.Value.SnapshotInterval;
    private readonly TimeSpan _summaryInterval = options.Value.RackSummaryInterval;
    private readonly bool _ownGasSensor = rules.Value.ModuleGasRules;
    private ModuleFeatureState _features = null!;
    private ModuleReport? _lastReport;
    private long _replayedThrough;
    private bool _dirty;

    private string ModuleId { get; set; } = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ModuleId = this.GetPrimaryKeyString();
        _features = RestoreFeatures();
        state.State.Features = null; // restored into _features; one copy in memory is enough
        var replayFrom = _features.LastTimestamp?.AddTicks(1) ?? DateTimeOffset.MinValue;
        var missed = await log.ReadModuleAsync(ModuleId, replayFrom, DateTimeOffset.MaxValue, int.MaxValue, cancellationToken);
        foreach (var logged in missed)
        {
            // The rack hears what it would have heard live: its peer picture and confirmation times are sensor time.
            if (await ApplyAsync(logged))
            {
                ReportToRack(force: false);
            }

            _replayedThrough = Math.Max(_replayedThrough, logged.Sequence);
        }

        if (missed.Count > 0)
        {
            // No write here: the log still holds what was replayed, and the flush timer follows.
            LogReplayed(logger, ModuleId, missed.Count);
        }

        if (state.State.LatestReading is not null)
        {
            ReportToRack(force: missed.Count > 0);
        }

        // Spread the flushes of many modules activated together over the interval.
        var firstFlush = _snapshotInterval * (0.5 + Random.Shared.NextDouble());
        this.RegisterGrainTimer(_ => FlushAsync(), firstFlush, _snapshotInterval);
    }

    public async Task Ingest(LoggedReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.Sequence <= _replayedThrough)
        {
            // Committed before this activation read the log: replayed already, or older than the snapshot.
            RecordLag(reading);
            return;
        }

        var levelBefore = state.State.Assessment?.Level;
        if (!await ApplyAsync(reading))
        {
            return;
        }

        RecordLag(reading);
        ReportToRack(force: false);
        if (state.State.Assessment?.Level is { } level && level != (levelBefore ?? HazardLevel.Normal))
        {
            // A new level must survive a crash even before the next flush; a first Normal need not.
            metrics.LevelChanged(level.ToString());
            await FlushAsync();
        }
    }

    public Task<ModuleStatus?> GetStatus()
    {
        var current = state.State;
        if (current.LatestReading is not { } latest)
        {
            return Task.FromResult<ModuleStatus?>(null);
        }

        var assessment = current.Assessment;
        var features = _features.Current is { } vector
            ? FeatureVector.FeatureNames.Select((name, i) => (name, vector[i])).ToDictionary(p => p.name, p => p.Item2)
            : new Dictionary<string, float>();
        return Task.FromResult<ModuleStatus?>(new ModuleStatus(
            ModuleId,
            current.RackId ?? latest.RackId,
            assessment?.Level ?? HazardLevel.Normal,
            assessment?.ModelProbability,
            current.ModelVersion,
            Explain(assessment),
            assessment?.Reasons ?? [],
            assessment?.EvaluatedAt,
            latest,
            features,
            _features.Counters));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    /// <summary>Runs one reading through features, model and policy; false when it was late or a repeat.</summary>
    private async ValueTask<bool> ApplyAsync(LoggedReading logged)
    {
        var reading = logged.Reading;
        var current = state.State;
        current.LastSequence = Math.Max(current.LastSequence, logged.Sequence);
        _dirty = true;
        if (_features.Apply(reading) != ApplyOutcome.Applied)
        {
            return false;
        }

        var features = _features.Current!;
        var score = await scorer.ScoreAsync(features);
        // Sensor time, not wall-clock time, drives hysteresis, so a replay decides exactly as live did.
        var decision = policy.Evaluate(features, score?.Probability, score?.Thresholds, current.Memory, reading.Timestamp);
        current.Memory = decision.Memory;
        current.Assessment = decision.Assessment;
        current.ModelVersion = score?.ModelVersion;
        current.LatestReading = reading;
        current.RackId = reading.RackId;
        return true;
    }

    private void RecordLag(LoggedReading reading)
    {
        if (reading.AcceptedAt is { } acceptedAt)
        {
            metrics.ReadingApplied(clock.GetUtcNow() - acceptedAt);
        }
    }

    private void ReportToRack(bool force)
    {
        var current = state.State;
        var report = ModuleReport.Of(ModuleId, current.RackId!, current.Assessment, _features.Current, current.LatestReading!, current.ModelVersion, _ownGasSensor);
        if (force || report.IsDueAfter(_lastReport, _summaryInterval))
        {
            _lastReport = report;
            _ = GrainFactory.GetGrain<IRackGrain>(report.RackId).ReportModule(report); // one-way
        }
    }

    private async Task FlushAsync()
    {
        if (!_dirty)
        {
            return;
        }

        state.State.Features = _features.ExportSnapshot();
        await state.WriteStateAsync();
        state.State.Features = null; // the live windows are in _features; keep one copy in memory
        _dirty = false;
    }

    private ModuleFeatureState RestoreFeatures()
    {
        if (state.State.Features is not { } snapshot)
        {
            return new ModuleFeatureState(ModuleId);
        }

        try
        {
            return ModuleFeatureState.FromSnapshot(snapshot);
        }
        catch (InvalidOperationException exception)
        {
            // A snapshot of older feature code: rebuild from the log instead of trusting it.
            LogSnapshotRefused(logger, exception, ModuleId);
            return new ModuleFeatureState(ModuleId);
        }
    }

    private static string Explain(HazardAssessment? assessment) => assessment switch
    {
        null => "No reading has been applied yet.",
        { Level: HazardLevel.Normal } => "Every safety rule is below its Watch threshold" +
            (assessment.ModelProbability is { } p ? $" and the model's hazard probability is {p:0.000}." : "; no model is loaded, the rules decide alone."),
        _ => $"{assessment.Level} because " + string.Join("; ", assessment.Reasons.Select(r => r.Detail)) + ".",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Module {ModuleId} replayed {Count} readings from the log")]
    private static partial void LogReplayed(ILogger logger, string moduleId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: stored feature snapshot refused; rebuilding from the log")]
    private static partial void LogSnapshotRefused(ILogger logger, Exception exception, string moduleId);
}
