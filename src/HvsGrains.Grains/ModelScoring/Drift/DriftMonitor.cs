using HvsGrains.Grains.Features;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// This silo's running distributions of the live feature vectors against the active model's baseline bins, over the
/// short and the long window. Fed by the scoring thread (<see cref="BatchingHazardScorer"/>), the one place every
/// scored vector passes: one writer, so counting needs no lock; O(features · log bins) per vector, every vector, no
/// sampling. The counts start again whenever the active model changes (the baseline is the model's).
/// </summary>
public sealed class DriftMonitor
{
    private readonly DriftOptions _options;
    private readonly HazardModelManager _models;
    private readonly TimeProvider _clock;
    private volatile Tracker? _tracker;

    public DriftMonitor(IOptions<DriftOptions> options, HazardModelManager models, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _models = models;
        _clock = clock;
    }

    public bool Enabled => _options.Enabled;

    public DriftThresholds Thresholds => _options.Thresholds;

    /// <summary>Counts a scored batch (called by the scoring thread only).</summary>
    public void Observe(IReadOnlyList<FeatureVector> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var tracker = TrackerFor(_models.Current);
        if (tracker is null)
        {
            return;
        }

        var now = _clock.GetUtcNow().UtcTicks;
        Span<byte> bins = stackalloc byte[tracker.Baseline.Features.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var values = batch[i].AsSpan();
            for (var f = 0; f < bins.Length; f++)
            {
                bins[f] = (byte)tracker.Baseline.Features[f].Bin(values[f]);
            }

            tracker.Short.Add(now, bins);
            tracker.Long.Add(now, bins);
        }
    }

    /// <summary>This silo's report: the active model and its windows' counts (none without a model or a baseline).</summary>
    public SiloDriftReport Snapshot(string silo, bool withBaseline)
    {
        var model = _models.Current;
        var baseline = model?.FeatureBaseline;
        var tracker = _tracker;
        if (!_options.Enabled || baseline is null)
        {
            return new SiloDriftReport(silo, model?.Sha256, model?.Version, Array.Empty<WindowCounts>(), null, baseline is not null, _options.Enabled);
        }

        // Only the scoring thread makes trackers; before its first vector of this model the counts are zero.
        // Arrays, not collection expressions: those make compiler-generated list types Orleans has no codec for.
        var now = _clock.GetUtcNow().UtcTicks;
        var windows = tracker is not null && ReferenceEquals(tracker.Model, model)
            ? new[] { tracker.Short.Sum(now), tracker.Long.Sum(now) }
            : new[] { Empty(_options.ShortWindow, baseline), Empty(_options.LongWindow, baseline) };
        return new SiloDriftReport(silo, model!.Sha256, model.Version, windows, withBaseline ? baseline : null, HasBaseline: true, Enabled: true);
    }

    /// <summary>The window names this silo uses ("1h", "24h"), in report order.</summary>
    public IReadOnlyList<string> WindowNames => [WindowName(_options.ShortWindow), WindowName(_options.LongWindow)];

    public static string WindowName(TimeSpan window) =>
        window.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)window.TotalHours}h"
        : window.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)window.TotalMinutes}m"
        : $"{(long)window.TotalSeconds}s";

    private static WindowCounts Empty(TimeSpan window, FeatureBaseline baseline) =>
        new(WindowName(window), window, 0, new long[baseline.Features.Count * FeatureBaseline.MaxBins]);

    private Tracker? TrackerFor(HazardModelInfo? model)
    {
        if (model?.FeatureBaseline is not { } baseline)
        {
            return null;
        }

        var tracker = _tracker;
        if (tracker is not null && ReferenceEquals(tracker.Model, model))
        {
            return tracker;
        }

        // A new model (or one made active again): its counts start from nothing.
        tracker = new Tracker(model, baseline,
            new SlidingBinCounts(WindowName(_options.ShortWindow), _options.ShortWindow, _options.BucketsPerWindow, baseline.Features.Count),
            new SlidingBinCounts(WindowName(_options.LongWindow), _options.LongWindow, _options.BucketsPerWindow, baseline.Features.Count));
        _tracker = tracker;
        return tracker;
    }

    private sealed record Tracker(HazardModelInfo Model, FeatureBaseline Baseline, SlidingBinCounts Short, SlidingBinCounts Long);
}
