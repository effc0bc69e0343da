using System.Buffers;
using System.Diagnostics;
using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// The silo's one model: loads the active (or bundled) version at start, validates every new
/// version against the feature code, swaps without restart, keeps the previous one for rollback,
/// and scores for every module grain. Without a usable model it says why and the rules decide.
/// </summary>
public sealed partial class HazardModelManager : IDisposable
{
    private readonly ModelOptions _options;
    private readonly ModelStore _store;
    private readonly ScoringMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<HazardModelManager> _logger;
    private readonly OnnxScoringOptions _scoring;
    private readonly Lock _swap = new();
    private volatile LoadedModel? _current;
    private LoadedModel? _previous;

    public HazardModelManager(
        IOptions<ModelOptions> options, ScoringMetrics metrics, TimeProvider clock, ILogger<HazardModelManager> logger, IOptions<AnomalyOptions>? anomaly = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _store = new ModelStore(_options.Directory);
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        // Off: ONNX Runtime is never asked for the anomaly output, so its trees are not run.
        _scoring = new OnnxScoringOptions
        {
            AnomalyOutputName = (anomaly?.Value.Enabled ?? true) ? OnnxHazardModelSession.AnomalyScoreOutputName : null,
        };
        metrics.ObserveModel(() => _current?.Info);
    }

    /// <summary>The model in use, or null when the rules decide alone.</summary>
    public HazardModelInfo? Current => _current?.Info;

    /// <summary>The model kept for rollback.</summary>
    public HazardModelInfo? Previous => _previous?.Info;

    /// <summary>Why no model is in use, when none is.</summary>
    public string? RulesOnlyReason { get; private set; } = "No model has been loaded yet.";

    /// <summary>The ONNX Runtime version, or null when the native library is unavailable.</summary>
    public string? RuntimeVersion { get; private set; }

    /// <summary>Loads the last active uploaded model, else the bundled one; failures leave the rules in charge.</summary>
    public void LoadAtStartup()
    {
        if (!_options.Enabled)
        {
            RulesOnlyReason = "Scoring is disabled by configuration (Hvs:Model:Enabled=false).";
            return;
        }

        if (!OnnxRuntimeInfo.TryGetVersion(out var version, out var unavailable))
        {
            Refuse("runtime-unavailable", $"ONNX Runtime is unavailable: {unavailable}");
            return;
        }

        RuntimeVersion = version;
        var catalog = _store.ReadCatalog();
        try
        {
            if (catalog.ActiveSha256 is { } active)
            {
                Activate(LoadValidated(_store.Read(active), "uploaded"), catalog.PreviousSha256 is { } previous ? TryLoad(previous) : null);
            }
            else
            {
                Activate(LoadValidated(File.ReadAllBytes(_options.BundledModelPath), "bundled"), previous: null);
            }
        }
        catch (Exception exception) when (exception is ModelRejectedException or IOException or UnauthorizedAccessException)
        {
            Refuse("rejected", $"The model at start-up was refused: {exception.Message}");
        }
    }

    /// <summary>Validates and activates a new model version; the current one becomes the rollback target.</summary>
    public HazardModelInfo Upload(byte[] modelBytes)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        LoadedModel loaded;
        try
        {
            loaded = LoadValidated(modelBytes, "uploaded");
        }
        catch (ModelRejectedException exception)
        {
            _metrics.Refused("rejected");
            LogRefused(_logger, exception.Message);
            throw;
        }

        _store.Save(loaded.Info.Sha256, modelBytes);
        lock (_swap)
        {
            Activate(loaded, _current);
        }

        return loaded.Info;
    }

    /// <summary>Validates a model against this silo's feature code without using it (the catalog grain's check).</summary>
    /// <exception cref="ModelRejectedException">The model is refused; the message says why.</exception>
    public HazardModelInfo Check(byte[] modelBytes)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        var loaded = LoadValidated(modelBytes, "uploaded");
        loaded.Session.Dispose();
        return loaded.Info;
    }

    /// <summary>
    /// Uses the site catalog's active version (<paramref name="sha256"/> null: the bundled model). The previous model
    /// is reused when it is the one asked for; a version this silo refuses leaves the current one in use.
    /// </summary>
    public void Follow(string? sha256, byte[]? modelBytes)
    {
        if (RuntimeVersion is null)
        {
            return; // scoring is off or ONNX Runtime is missing: the rules decide, for the reason already given
        }

        lock (_swap)
        {
            if (IsVersion(_current, sha256))
            {
                return;
            }

            if (_previous is { } previous && IsVersion(previous, sha256))
            {
                Activate(previous, _current);
                return;
            }
        }

        LoadedModel loaded;
        try
        {
            loaded = sha256 is null
                ? LoadValidated(File.ReadAllBytes(_options.BundledModelPath), "bundled")
                : LoadValidated(modelBytes ?? throw new ArgumentNullException(nameof(modelBytes)), "uploaded");
        }
        catch (Exception exception) when (exception is ModelRejectedException or IOException or UnauthorizedAccessException)
        {
            _metrics.Refused("rejected");
            LogRefused(_logger, $"the site's model {sha256 ?? "(bundled)"}: {exception.Message}");
            return;
        }

        if (sha256 is not null)
        {
            _store.Save(sha256, modelBytes!);
        }

        lock (_swap)
        {
            Activate(loaded, _current);
        }
    }

    /// <summary>The bytes of an uploaded version this silo keeps in its model store, or null.</summary>
    public byte[]? TryReadStored(string sha256) => _store.TryRead(sha256);

    /// <summary>Returns to the previous model; the current one becomes the rollback target in turn.</summary>
    public HazardModelInfo Rollback()
    {
        lock (_swap)
        {
            var previous = _previous ?? throw new InvalidOperationException("There is no previous model to roll back to.");
            Activate(previous, _current);
            return previous.Info;
        }
    }

    /// <summary>Scores one feature vector; null when no model is in use or the model failed (the rules then decide).</summary>
    public HazardScore? Score(FeatureVector features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var scores = new HazardScore?[1];
        Score([features], scores);
        return scores[0];
    }

    /// <summary>
    /// Scores many feature vectors in one model run, which costs far less per vector than one run each.
    /// Writes null for every vector when no model is in use or the run failed.
    /// </summary>
    public void Score(IReadOnlyList<FeatureVector> batch, Span<HazardScore?> scores)
    {
        ArgumentNullException.ThrowIfNull(batch);
        scores[..batch.Count].Clear();
        var model = _current;
        if (model is null || batch.Count == 0)
        {
            return;
        }

        var width = FeatureVector.FeatureNames.Count;
        var rows = ArrayPool<float>.Shared.Rent(batch.Count * width);
        var probabilities = ArrayPool<float>.Shared.Rent(batch.Count);
        var anomaly = model.Session.AnomalyOutputName is null ? null : ArrayPool<float>.Shared.Rent(batch.Count);
        var anomalyThreshold = model.Info.Anomaly?.Threshold;
        var started = Stopwatch.GetTimestamp();
        var shadow = _shadow;
        float[]? shadowProbabilities = null;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].AsSpan().CopyTo(rows.AsSpan(i * width, width));
            }

            model.Session.ScoreBatch(rows.AsSpan(0, batch.Count * width), batch.Count, probabilities, anomaly);
            _metrics.Scored(Stopwatch.GetElapsedTime(started), batch.Count);
            shadowProbabilities = ScoreShadow(shadow, rows.AsSpan(0, batch.Count * width), batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                if (float.IsFinite(probabilities[i]))
                {
                    // A non-finite anomaly score is dropped alone: it is an advisory, the probability still counts.
                    double? anomalyScore = anomaly is not null && float.IsFinite(anomaly[i]) ? anomaly[i] : null;
                    scores[i] = new HazardScore(
                        probabilities[i], model.Info.Version, model.Info.Thresholds, anomalyScore, anomalyScore is null ? null : anomalyThreshold,
                        ShadowScoreOf(shadow, shadowProbabilities, i));
                }
                else
                {
                    _metrics.Refused("non-finite-score");
                }
            }
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or NotSupportedException or ArgumentException or ObjectDisposedException)
        {
            // A failed score must not fail the readings: the rules still decide.
            _metrics.Refused("score-failed");
            LogScoreFailed(_logger, exception, model.Info.Version);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
            ArrayPool<float>.Shared.Return(probabilities);
            if (anomaly is not null)
            {
                ArrayPool<float>.Shared.Return(anomaly);
            }
            ReturnShadow(shadowProbabilities);
        }
    }

    public void Dispose()
    {
        _current?.Session.Dispose();
        _previous?.Session.Dispose();
        _shadow?.Model.Session.Dispose();
    }

    private LoadedModel LoadValidated(byte[] bytes, string source)
    {
        if (RuntimeVersion is null)
        {
            throw new ModelRejectedException(RulesOnlyReason ?? "ONNX Runtime is unavailable.");
        }

        OnnxHazardModelSession session;
        try
        {
            session = new OnnxHazardModelSession(bytes, _scoring);
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or NotSupportedException)
        {
            throw new ModelRejectedException($"Not a usable ONNX model: {exception.Message}", exception);
        }

        try
        {
            return new LoadedModel(session, HazardModelValidator.Validate(session, source, ModelStore.Sha256(bytes), _clock.GetUtcNow()));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private LoadedModel? TryLoad(string sha256)
    {
        try
        {
            return LoadValidated(_store.Read(sha256), "uploaded");
        }
        catch (Exception exception) when (exception is ModelRejectedException or IOException)
        {
            LogRefused(_logger, $"rollback target {sha256}: {exception.Message}");
            return null;
        }
    }

    private void Activate(LoadedModel model, LoadedModel? previous)
    {
        var retired = _previous;
        _previous = previous;
        _current = model;
        RulesOnlyReason = null;
        if (retired is not null && retired != model && retired != previous)
        {
            retired.Session.Dispose(); // in-flight scores hold their own reference to the native session
        }

        if (model.Info.Source == "uploaded")
        {
            _store.WriteCatalog(new ModelCatalog { ActiveSha256 = model.Info.Sha256, PreviousSha256 = previous?.Info.Source == "uploaded" ? previous.Info.Sha256 : null });
        }

        LogActivated(_logger, model.Info.Version, model.Info.Source, previous?.Info.Version);
    }

    private static bool IsVersion(LoadedModel? model, string? sha256) =>
        model is not null && (sha256 is null ? model.Info.Source == "bundled" : model.Info.Source == "uploaded" && model.Info.Sha256 == sha256);

    private void Refuse(string reason, string message)
    {
        RulesOnlyReason = message;
        _metrics.Refused(reason);
        LogRefused(_logger, message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hazard model {Version} ({Source}) is active; rollback target: {Previous}")]
    private static partial void LogActivated(ILogger logger, string version, string source, string? previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hazard model refused, the safety rules decide alone: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring with model {Version} failed; the rules decided this reading")]
    private static partial void LogScoreFailed(ILogger logger, Exception exception, string version);

    private sealed record LoadedModel(OnnxHazardModelSession Session, HazardModelInfo Info);
}
