using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Drift;

/// <summary>
/// The site's drift watch: the silos' latest counts for the newest model, judged against that model's baseline.
/// A feature crossing into "drifted" is logged once (and once when it returns); the advisory lists the drifted ones.
/// </summary>
[GrainType("model-drift")]
public sealed partial class ModelDriftGrain(IOptions<DriftOptions> options, TimeProvider clock, ILogger<ModelDriftGrain> logger) : Grain, IModelDriftGrain
{
    private readonly Dictionary<string, (SiloDriftReport Report, DateTimeOffset At)> _silos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _drifted = new(StringComparer.Ordinal);
    private string? _baselineSha;
    private FeatureBaseline? _baseline;
    private DriftAdvisory? _advisory;

    private DriftThresholds Thresholds => options.Value.Thresholds;

    /// <summary>A silo silent for this long is left out (it died or left); silos report every ReportInterval.</summary>
    private TimeSpan ReportsKept => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, options.Value.ReportInterval.Ticks * 3));

    public Task<DriftReply> Report(SiloDriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _silos[report.Silo] = (report, clock.GetUtcNow());
        if (report.Baseline is not null && report.ModelSha256 is not null && _baselineSha != report.ModelSha256)
        {
            (_baselineSha, _baseline) = (report.ModelSha256, report.Baseline);
        }

        var view = View();
        Advise(view);
        var needsBaseline = report.HasBaseline && report.ModelSha256 is not null && _baselineSha != report.ModelSha256;
        return Task.FromResult(new DriftReply(needsBaseline, view with { Advisory = _advisory }));
    }

    public Task<ModelDriftView> GetDrift() => Task.FromResult(View() with { Advisory = _advisory });

    private ModelDriftView View()
    {
        var now = clock.GetUtcNow();
        foreach (var silo in _silos.Where(s => now - s.Value.At > ReportsKept).Select(s => s.Key).ToList())
        {
            _silos.Remove(silo);
        }

        var site = this.GetPrimaryKeyString();
        var newest = _silos.Values.OrderByDescending(s => s.At).Select(s => s.Report).FirstOrDefault();
        string? unavailable = newest switch
        {
            null => "No silo has reported yet.",
            { Enabled: false } => "Drift watch is off (Hvs:Drift:Enabled=false).",
            { ModelSha256: null } => "No model is in use: the safety rules decide alone.",
            { HasBaseline: false } => $"Model {newest.ModelVersion} carries no feature baseline (hvs.feature_baseline); add one with `python3 -m hvs_training baseline`.",
            _ when _baselineSha != newest.ModelSha256 || _baseline is null => "The model's baseline has not reached the drift watch yet.",
            _ => null,
        };
        if (unavailable is not null)
        {
            return new ModelDriftView(site, newest?.ModelVersion, newest?.ModelSha256, unavailable, Thresholds, Array.Empty<DriftWindowView>(), null, _silos.Count, null, 0);
        }

        var reports = _silos.Values.Select(s => s.Report).Where(r => r.ModelSha256 == newest!.ModelSha256).ToList();
        return new ModelDriftView(site, newest!.ModelVersion, newest.ModelSha256, null, Thresholds,
            SiteDriftCalculator.Windows(_baseline!, reports, Thresholds), null, reports.Count, _baseline!.Source, _baseline.Rows);
    }

    /// <summary>
    /// Keeps the advisory: a feature joins when it is drifted in either window and leaves only when it is back to
    /// stable in both (moderate keeps it), so a statistic hovering at its threshold does not flap. One log line when
    /// the advisory is raised, grows, shrinks or clears: once per crossing, not once per report.
    /// </summary>
    private void Advise(ModelDriftView view)
    {
        if (_advisory is not null && _advisory.ModelVersion != view.ModelVersion)
        {
            _drifted.Clear(); // a new model has a new baseline: its counts and crossings start again
            _advisory = null;
        }

        var worst = view.Windows.SelectMany(w => w.Features).GroupBy(f => f.Feature, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(f => f.Verdict), StringComparer.Ordinal);
        var now = worst.Where(f => f.Value == DriftVerdict.Drifted || (f.Value == DriftVerdict.Moderate && _drifted.Contains(f.Key)))
            .Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var added = now.Where(f => !_drifted.Contains(f)).Order(StringComparer.Ordinal).ToList();
        var removed = _drifted.Where(f => !now.Contains(f)).Order(StringComparer.Ordinal).ToList();
        var model = view.ModelVersion ?? "";
        if (added.Count > 0)
        {
            var figures = string.Join("; ", added.Take(8).Select(f => Figures(view, f)));
            if (_drifted.Count == 0)
            {
                LogRaised(logger, view.SiteId, added.Count, model, figures, Thresholds.PsiDrifted, Thresholds.KsDrifted);
            }
            else
            {
                LogGrew(logger, view.SiteId, added.Count, model, figures);
            }
        }

        if (removed.Count > 0)
        {
            if (now.Count == 0)
            {
                LogCleared(logger, view.SiteId, model);
            }
            else
            {
                LogShrank(logger, view.SiteId, string.Join(", ", removed), model);
            }
        }

        _drifted.Clear();
        _drifted.UnionWith(now);
        if (_drifted.Count == 0)
        {
            _advisory = null;
            return;
        }

        var features = _drifted.Order(StringComparer.Ordinal).ToList();
        _advisory = new DriftAdvisory(
            string.Create(CultureInfo.InvariantCulture,
                $"Model input drift (advisory, not a hazard): {features.Count} feature(s) of model {model} have left its training baseline: {string.Join(", ", features.Take(5))}{(features.Count > 5 ? ", …" : "")}. The model may be less reliable; consider retraining."),
            features, model, _advisory?.Since ?? clock.GetUtcNow());
    }

    private static string Figures(ModelDriftView view, string feature)
    {
        var (window, drift) = view.Windows.SelectMany(w => w.Features.Where(f => f.Feature == feature).Select(f => (w.Window, f)))
            .OrderByDescending(x => x.f.Verdict).First();
        return string.Create(CultureInfo.InvariantCulture, $"{feature} over {window}: PSI {drift.Psi:0.###}, KS {drift.Ks:0.###}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model input drift at site {Site} (advisory, not a hazard; levels and alarms are unchanged): {Count} feature(s) left model {ModelVersion}'s training baseline (drifted: PSI above {PsiDrifted} or KS above {KsDrifted}): {Figures}")]
    private static partial void LogRaised(ILogger logger, string site, int count, string modelVersion, string figures, double psiDrifted, double ksDrifted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model input drift at site {Site} (advisory, not a hazard): {Count} more feature(s) left model {ModelVersion}'s training baseline: {Figures}")]
    private static partial void LogGrew(ILogger logger, string site, int count, string modelVersion, string figures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model input drift at site {Site}: {Features} back within model {ModelVersion}'s training baseline")]
    private static partial void LogShrank(ILogger logger, string site, string features, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model input drift advisory at site {Site} cleared: every feature is back within model {ModelVersion}'s training baseline")]
    private static partial void LogCleared(ILogger logger, string site, string modelVersion);
}
