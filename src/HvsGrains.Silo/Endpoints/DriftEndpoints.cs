using HvsGrains.Grains.Features;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace HvsGrains.Silo.Endpoints;

/// <summary>
/// The site's input drift against the active model's training baseline. This silo reports its own counts first, so
/// the answer holds every reading it scored up to now and the other silos' up to their last report.
/// </summary>
public static class DriftEndpoints
{
    public static RouteGroupBuilder MapDriftEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/model/drift", GetDriftAsync).RequireAuthorization(ApiRoles.CanRead).WithTags("Model")
            .WithSummary("Input drift of the site against the model's training baseline: PSI, KS and a verdict per feature and window")
            .WithDescription("Optional filters: window (e.g. 1h, 24h) and feature (a feature name). A drift advisory is never a hazard alarm.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> GetDriftAsync([FromQuery] string? window, [FromQuery] string? feature, DriftReporter reporter, DriftMonitor monitor)
    {
        if (window is not null && !monitor.WindowNames.Contains(window, StringComparer.Ordinal))
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "Unknown drift window", "window",
                $"must be one of {string.Join(", ", monitor.WindowNames)} (Hvs:Drift:ShortWindow, LongWindow)");
        }

        if (feature is not null && FeatureSchema.Current.IndexOf(feature) < 0)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "Unknown feature", "feature",
                $"'{feature}' is not one of the model's {FeatureSchema.Current.Count} feature names (see hvs.feature_names)");
        }

        var view = await reporter.ReportAsync();
        var windows = view.Windows.Where(w => window is null || w.Window == window)
            .Select(w => feature is null ? w : w with { Features = [.. w.Features.Where(f => f.Feature == feature)] });
        return TypedResults.Ok(view with { Windows = [.. windows] });
    }
}
