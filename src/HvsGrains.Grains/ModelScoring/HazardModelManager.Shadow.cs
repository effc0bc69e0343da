using System.Buffers;
using System.Collections.Concurrent;
using HvsGrains.Grains.ModelScoring.Shadow;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace HvsGrains.Grains.ModelScoring;

/// <summary>
/// The shadow model beside the active one: a second ONNX session that scores the same rows in the same run of the
/// scoring thread, so with no shadow loaded nothing extra happens per reading, and with one each batch runs twice.
/// A shadow that fails never touches the active scores. Not kept in the model store: a restarted silo takes it from
/// the site catalog at its first poll.
/// </summary>
public sealed partial class HazardModelManager
{
    private readonly ConcurrentQueue<ShadowTally> _retiredTallies = new();
    private volatile LoadedShadow? _shadow;

    /// <summary>The candidate in shadow here, or null.</summary>
    public HazardModelInfo? Shadow => _shadow?.Model.Info;

    /// <summary>The tally the modules compare into while the shadow runs.</summary>
    public ShadowTally? ShadowTally => _shadow?.Tally;

    /// <summary>Why this silo refused the site's shadow candidate, while it does.</summary>
    public string? ShadowRefusedReason { get; private set; }

    /// <summary>
    /// Runs the catalog's shadow candidate beside the active model (<paramref name="slot"/> null: none). A candidate this
    /// silo refuses is not run and the reason is reported; the active model is never affected.
    /// </summary>
    public void FollowShadow(ShadowSlot? slot, byte[]? modelBytes)
    {
        if (_shadow is { } running && running.Tally.Trial == slot?.Trial)
        {
            return;
        }

        LoadedShadow? next = null;
        ShadowRefusedReason = slot is not null && RuntimeVersion is null ? RulesOnlyReason : null;
        if (slot is not null && RuntimeVersion is not null)
        {
            try
            {
                next = new LoadedShadow(LoadValidated(modelBytes ?? throw new ArgumentNullException(nameof(modelBytes)), "shadow"), new ShadowTally(slot.Trial));
            }
            catch (ModelRejectedException exception)
            {
                ShadowRefusedReason = exception.Message;
                _metrics.Refused("shadow-rejected");
                LogShadowRefused(_logger, slot.Candidate.Version, exception.Message);
            }
        }

        var retired = _shadow;
        _shadow = next;
        if (retired is not null)
        {
            _retiredTallies.Enqueue(retired.Tally); // what it tallied last still goes to its trial
            retired.Model.Session.Dispose(); // a run in flight holds its own lease on the session
        }

        LogShadow(_logger, next?.Model.Info.Version ?? "none", retired?.Model.Info.Version ?? "none");
    }

    /// <summary>Tallies of trials that ended here and may still hold comparisons to report.</summary>
    public IReadOnlyList<ShadowTally> TakeRetiredShadowTallies()
    {
        var taken = new List<ShadowTally>();
        while (_retiredTallies.TryDequeue(out var tally))
        {
            taken.Add(tally);
        }

        return taken;
    }

    /// <summary>Keeps a tally to report later (its report failed).</summary>
    public void RetireShadowTally(ShadowTally tally) => _retiredTallies.Enqueue(tally);

    /// <summary>Scores the active model's rows with the shadow; null without a shadow or when its run failed (the caller returns the array).</summary>
    private float[]? ScoreShadow(LoadedShadow? shadow, ReadOnlySpan<float> rows, int count)
    {
        if (shadow is null)
        {
            return null;
        }

        var probabilities = ArrayPool<float>.Shared.Rent(count);
        try
        {
            shadow.Model.Session.ScoreBatch(rows, count, probabilities);
            return probabilities;
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or NotSupportedException or ArgumentException or ObjectDisposedException)
        {
            ArrayPool<float>.Shared.Return(probabilities);
            _metrics.Refused("shadow-score-failed");
            LogShadowScoreFailed(_logger, exception, shadow.Model.Info.Version);
            return null;
        }
    }

    private static ShadowScore? ShadowScoreOf(LoadedShadow? shadow, float[]? probabilities, int row) =>
        shadow is not null && probabilities is not null && float.IsFinite(probabilities[row])
            ? new ShadowScore(probabilities[row], shadow.Model.Info.Version, shadow.Model.Info.Thresholds, shadow.Tally)
            : null;

    private static void ReturnShadow(float[]? probabilities)
    {
        if (probabilities is not null)
        {
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shadow model {Version} runs beside the active model (was: {Previous})")]
    private static partial void LogShadow(ILogger logger, string version, string previous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow model {Version} refused here; the active model is unaffected: {Reason}")]
    private static partial void LogShadowRefused(ILogger logger, string version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scoring with shadow model {Version} failed; the active model's scores stand")]
    private static partial void LogShadowScoreFailed(ILogger logger, Exception exception, string version);

    private sealed record LoadedShadow(LoadedModel Model, ShadowTally Tally);
}
