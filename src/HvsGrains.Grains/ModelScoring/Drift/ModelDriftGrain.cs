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

    private void Advise(ModelDriftView view)
    {
        if (_advisory is not null && _advisory.ModelVersion != view.ModelVersion)
        {
            _drifted.Clear(); // a new model has a new baseline: its counts and crossings start again
            _advisory = null;
        }

        var drifted = view.Windows.SelectMany(w => w.Features.Where(f => f.Verdict == DriftVerdict.Drifted).Select(f => (w.Window, f)))
            .GroupBy(x => x.f.Feature).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (feature, (window, drift)) in drifted.Where(d => !_drifted.Contains(d.Key)))
        {
            LogDrifted(logger, view.SiteId, feature, window, drift.Psi ?? 0, drift.Ks ?? 0, Thresholds.PsiDrifted, Thresholds.KsDrifted, view.ModelVersion ?? "");
        }

        foreach (var feature in _drifted.Where(f => !drifted.ContainsKey(f)))
        {
            LogReturned(logger, view.SiteId, feature, view.ModelVersion ?? "");
        }

        _drifted.Clear();
        _drifted.UnionWith(drifted.Keys);
        if (_drifted.Count == 0)
        {
            _advisory = null;
            return;
        }

        var features = _drifted.Order(StringComparer.Ordinal).ToList();
        _advisory = new DriftAdvisory(
            string.Create(CultureInfo.InvariantCulture,
                $"Model input drift (advisory, not a hazard): {features.Count} feature(s) of model {view.ModelVersion} have left its training baseline: {string.Join(", ", features.Take(5))}{(features.Count > 5 ? ", …" : "")}. The model may be less reliable; consider retraining."),
            features, view.ModelVersion ?? "", _advisory?.Since ?? clock.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model input drift at site {Site} (advisory, not a hazard): feature {Feature} drifted over {Window} (PSI {Psi:0.###}, KS {Ks:0.###}; drifted above PSI {PsiDrifted} or KS {KsDrifted}) against model {ModelVersion}'s baseline")]
    private static partial void LogDrifted(ILogger logger, string site, string feature, string window, double psi, double ks, double psiDrifted, double ksDrifted, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model input drift at site {Site}: feature {Feature} is back within model {ModelVersion}'s baseline")]
    private static partial void LogReturned(ILogger logger, string site, string feature, string modelVersion);
}
