using HvsGrains.Grains.ModelScoring.Catalog;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.ModelScoring.Shadow;

/// <summary>Adds up one shadow trial across the site's silos; state is written on every report (seconds apart per silo).</summary>
[GrainType("shadow-comparison")]
public sealed partial class ShadowComparisonGrain(
    [PersistentState("shadow-comparison")] IPersistentState<ShadowComparisonState> state,
    IOptions<ShadowOptions> options,
    TimeProvider clock,
    ILogger<ShadowComparisonGrain> logger) : Grain, IShadowComparisonGrain
{
    public async Task Start(ModelCatalogEntry candidate, string activeVersion)
    {
        state.State.Candidate = candidate;
        state.State.ActiveVersionAtStart = activeVersion;
        await state.WriteStateAsync();
    }

    public async Task Report(ShadowTallyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var trial = state.State;
        trial.Counts = trial.Counts.Add(report.Counts);
        trial.DifferencesSeen += report.DifferencesSeen;
        trial.Differences.AddRange(report.Differences);
        var kept = options.Value.DifferencesKept;
        if (trial.Differences.Count > kept)
        {
            trial.Differences.RemoveRange(0, trial.Differences.Count - kept);
        }

        foreach (var times in report.AlarmTimes)
        {
            trial.AlarmTimes[times.ModuleId] = trial.AlarmTimes.TryGetValue(times.ModuleId, out var known) ? known.Merge(times) : times;
        }

        trial.Silos[report.Silo] = report.At;
        await state.WriteStateAsync();
    }

    public async Task End(string how, string by)
    {
        var trial = state.State;
        (trial.Ended, trial.EndedBy, trial.EndedAt) = (how, by, clock.GetUtcNow());
        await state.WriteStateAsync();
        LogEnded(logger, this.GetPrimaryKeyString(), trial.Candidate?.Version, how, by, trial.Counts.Compared, trial.Counts.SameLevel);
    }

    public Task<ShadowComparison> GetComparison()
    {
        var trial = state.State;
        var counts = trial.Counts;
        var modules = trial.AlarmTimes.Values.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToList();
        return Task.FromResult(new ShadowComparison(
            this.GetPrimaryKeyString(),
            trial.Candidate,
            trial.ActiveVersionAtStart,
            counts,
            counts.Compared == 0 ? null : (double)counts.SameLevel / counts.Compared,
            counts.Compared == 0 ? null : (double)counts.SameAlarm / counts.Compared,
            [.. Enumerable.Reverse(trial.Differences)],
            trial.DifferencesSeen,
            modules,
            FirstAlarmSummary.Of(modules.Select(m => (m.ActiveWarningAt, m.ShadowWarningAt))),
            FirstAlarmSummary.Of(modules.Select(m => (m.ActiveCriticalAt, m.ShadowCriticalAt))),
            new Dictionary<string, DateTimeOffset>(trial.Silos, StringComparer.Ordinal),
            trial.Ended,
            trial.EndedBy,
            trial.EndedAt));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shadow trial {Trial} of model {Version} ended ({How} by {By}): {SameLevel} of {Compared} readings at the same level")]
    private static partial void LogEnded(ILogger logger, string trial, string? version, string how, string by, long compared, long sameLevel);
}
