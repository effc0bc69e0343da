using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.Forecasting;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
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
    IOptions<ModelDomain> domain,
    IOptions<HazardRuleOptions> rules,
    SurfaceForecaster forecaster,
    IOptions<AnomalyOptions> anomalyOptions,
    AnomalyMetrics anomalyMetrics,
    TimeProvider clock,
    ILogger<ModuleGrain> logger) : Grain, IModuleGrain
{
    private readonly TimeSpan _snapshotInterval = options.Value.SnapshotInterval;
    private readonly TimeSpan _summaryInterval = options.Value.RackSummaryInterval;
    private readonly bool _ownGasSensor = rules.Value.ModuleGasRules;
    private readonly bool _anomalyScoring = anomalyOptions.Value.Enabled;
    private ModuleFeatureState _features = null!;
    private SensorFaultWatch _faults = null!;
    private SurfaceMinutes? _surface; // null when forecasts are off: no per-reading work
    private AnomalyWatch _anomaly = null!;
    private ModuleReport? _lastReport;
    private HashSet<long>? _replayed;
    private bool _dirty;

    private string ModuleId { get; set; } = "";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ModuleId = this.GetPrimaryKeyString();
        _features = RestoreFeatures();
        _faults = new SensorFaultWatch(state.State.SensorFaults);
        _anomaly = new AnomalyWatch(anomalyOptions.Value.RaiseAfter, anomalyOptions.Value.ClearAfter, state.State.Anomaly);
        anomalyMetrics.Advised(ModuleId, _anomaly.Current is not null);
        state.State.Features = null; // restored into _features; one copy in memory is enough
        _surface = forecaster.Options.Enabled ? SurfaceMinutes.FromSnapshot(state.State.SurfaceMinutes, forecaster.HistoryMinutes) : null;
        var replayFrom = _features.LastTimestamp?.AddTicks(1) ?? DateTimeOffset.MinValue;
        var missed = await log.ReadModuleAsync(ModuleId, replayFrom, DateTimeOffset.MaxValue, int.MaxValue, cancellationToken);
        foreach (var logged in missed)
        {
            // The rack hears what it would have heard live: its peer picture and confirmation times are sensor time.
            if (await ApplyAsync(logged))
            {
                ReportToRack(force: false);
            }

            (_replayed ??= []).Add(logged.Sequence);
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
        var levelBefore = state.State.Assessment?.Level;
        if (await ApplyNewAsync(reading))
        {
            ReportToRack(force: false);
            await FlushOnLevelChangeAsync(levelBefore);
        }
    }

    public async Task Apply(ModuleReadings readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var levelBefore = state.State.Assessment?.Level;
        var applied = false;
        foreach (var reading in readings.Readings)
        {
            if (await ApplyNewAsync(reading))
            {
                applied = true;
                ReportToRack(force: false); // as live: the rack's peer picture is in sensor time
            }
        }

        if (applied)
        {
            await FlushOnLevelChangeAsync(levelBefore);
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
        // Only a model's probability can be out of its domain; the rules have none.
        var outOfDomain = assessment?.ModelProbability is null ? null : domain.Value.Beyond(_features.Current);
        var forecast = _surface is null ? null : forecaster.Forecast(_surface, latest.Timestamp); // on demand, not per reading
        return Task.FromResult<ModuleStatus?>(new ModuleStatus(
            ModuleId,
            current.RackId ?? latest.RackId,
            assessment?.Level ?? HazardLevel.Normal,
            outOfDomain is null ? assessment?.ModelProbability : null,
            current.ModelVersion,
            outOfDomain is null ? Explain(assessment) : $"{Explain(assessment)} The model is out of its domain: {outOfDomain}.",
            assessment?.Reasons ?? [],
            assessment?.EvaluatedAt,
            latest,
            features,
            _features.Counters,
            outOfDomain,
            _faults.Current,
            AnomalyScore: current.AnomalyScore,
            Anomaly: _anomaly.Current,
            Forecast: forecast?.Forecast,
            TimeToThresholds: forecast?.Thresholds,
            ShadowProbability: _shadow?.Probability,
            ShadowLevel: _shadow?.Level));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        anomalyMetrics.Advised(ModuleId, active: false); // counted where the module is active
        return FlushAsync();
    }

    /// <summary>Applies a reading this activation has not seen yet; false when it was replayed already, late or a repeat.</summary>
    private async ValueTask<bool> ApplyNewAsync(LoggedReading reading)
    {
        // Replayed at activation and handed over too (committed just before the log was read): applied once. By the
        // numbers replayed, not "at or below the highest": in a cluster several silos number readings, and a lower
        // number can commit later. A reading sent again (sequence 0, the log had it) that the module has is not counted twice.
        var seen = (_replayed?.Contains(reading.Sequence) ?? false)
            || (reading.Sequence == 0 && _features.LastTimestamp is { } last && reading.Reading.Timestamp <= last);
        var applied = !seen && await ApplyAsync(reading);
        if (applied || seen)
        {
            RecordLag(reading);
        }

        return applied;
    }

    private async Task FlushOnLevelChangeAsync(HazardLevel? levelBefore)
    {
        if (state.State.Assessment?.Level is { } level && level != (levelBefore ?? HazardLevel.Normal))
        {
            // A new level must survive a crash even before the next flush; a first Normal need not.
            metrics.LevelChanged(level.ToString());
            await FlushAsync();
        }
    }

    /// <summary>Runs one reading through features, model and policy; false when it was late or a repeat.</summary>
    private async ValueTask<bool> ApplyAsync(LoggedReading logged)
    {
        var reading = logged.Reading;
        var current = state.State;
        // The log keeps what the gateway sent; the features take implausible channels as missing (imputed).
        var implausible = ModuleFeatureInput.ImplausibleChannels(reading, _features.Current);
        reading = ModuleFeatureInput.WithoutImplausible(reading, implausible);

        current.LastSequence = Math.Max(current.LastSequence, logged.Sequence);
        _dirty = true;
        if (_features.Apply(reading) != ApplyOutcome.Applied)
        {
            return false;
        }

        _faults.Observe(reading.Timestamp, implausible, _features.RejectedSpikeMask);
        var features = _features.Current!;
        if (_surface is not null && !features.IsImputed(SensorChannel.MaxSurfaceTemp))
        {
            _surface.Observe(reading.Timestamp, features.Value(SensorChannel.MaxSurfaceTemp)); // cleaned: spikes clipped
        }

        var score = await scorer.ScoreAsync(features);
        // Sensor time, not wall-clock time, drives hysteresis, so a replay decides exactly as live did.
        var decision = policy.Evaluate(features, score?.Probability, score?.Thresholds, current.Memory, reading.Timestamp);
        JudgeShadow(features, score?.Shadow, decision.Assessment, current.Memory, reading.Timestamp); // before the memory moves on
        current.Memory = decision.Memory;
        current.Assessment = decision.Assessment;
        current.ModelVersion = score?.ModelVersion;
        if (_anomalyScoring)
        {
            ObserveAnomaly(score, reading.Timestamp); // an advisory only: the decision above never sees it
        }

        current.LatestReading = reading;
        if (current.RackId is { } previousRack && previousRack != reading.RackId)
        {
            // Moved: the old rack must stop counting it; the report that follows goes to the new rack.
            LogMoved(logger, ModuleId, previousRack, reading.RackId);
            _ = GrainFactory.GetGrain<IRackGrain>(previousRack).RemoveModule(ModuleId); // one-way
        }

        current.RackId = reading.RackId;
        return true;
    }

    private void ObserveAnomaly(HazardScore? score, DateTimeOffset at)
    {
        if (score?.AnomalyScore is not null && !_features.WindowsFull)
        {
            state.State.AnomalyScore = null; // not judged yet: a window of one or two readings looks like a frozen sensor
            return;
        }

        var changed = score is { AnomalyScore: { } anomaly, AnomalyThreshold: { } threshold }
            ? _anomaly.Observe(anomaly, threshold, at)
            : _anomaly.Forget();
        state.State.AnomalyScore = score?.AnomalyScore;
        state.State.Anomaly = _anomaly.Current;
        if (changed)
        {
            anomalyMetrics.Advised(ModuleId, _anomaly.Current is not null);
        }
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
        var report = ModuleReport.Of(ModuleId, current.RackId!, current.Assessment, _features.Current, current.LatestReading!, current.ModelVersion, _ownGasSensor, _faults.Channels is { Count: > 0 } faulty ? faulty : null, _anomaly.Current);
        if (force || report.IsDueAfter(_lastReport, _summaryInterval))
        {
            _lastReport = report;
            _ = GrainFactory.GetGrain<IRackGrain>(report.RackId).ReportModule(report); // one-way
        }
    }

    private async Task FlushAsync()
    {
        _replayed = null; // by the first flush, readings committed before the activation have long been handed over
        if (!_dirty)
        {
            return;
        }

        state.State.Features = _features.ExportSnapshot();
        state.State.SurfaceMinutes = _surface?.ExportSnapshot();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Module {ModuleId} moved from rack {FromRack} to rack {ToRack}")]
    private static partial void LogMoved(ILogger logger, string moduleId, string fromRack, string toRack);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Module {ModuleId} replayed {Count} readings from the log")]
    private static partial void LogReplayed(ILogger logger, string moduleId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Module {ModuleId}: stored feature snapshot refused; rebuilding from the log")]
    private static partial void LogSnapshotRefused(ILogger logger, Exception exception, string moduleId);
}
