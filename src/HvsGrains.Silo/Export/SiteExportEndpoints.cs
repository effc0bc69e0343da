using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using HvsGrains.Grains.Readings;
using HvsGrains.Silo.Endpoints;
using HvsGrains.Silo.Security;
using HvsGrains.Simulation.Dataset.Site;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Export;

/// <summary>
/// <c>GET /api/v1/admin/datasets/site?from=&amp;to=&amp;racks=</c>: the readings log of a range (some racks, or all) as a
/// training dataset with the operators' verdicts as labels, a zip of dataset.csv and dataset.json. Admin only: it reads
/// the whole log of the range and runs the feature code over it (not for the read key facility systems and the site
/// page hold), and it is a step of the model's life, like uploading one.
/// </summary>
public static class SiteExportEndpoints
{
    public static RouteGroupBuilder MapSiteExportEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGroup("/admin/datasets").RequireAuthorization(ApiRoles.CanAdminister).WithTags("Model")
            .MapGet("/site", ExportAsync)
            .WithSummary("The site's readings of a range as a training dataset (zip of dataset.csv + dataset.json), labelled by operators' verdicts")
            .WithDescription("from and to are required (to - from at most Hvs:Export:MaxRange, 7 days); racks is a comma-separated list (default: every rack). " +
                "Rows are the simulator's dataset columns with Label_Source and Alarm_Id; the manifest's 'site' block says where each label came from.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> ExportAsync(
        DateTimeOffset? from,
        DateTimeOffset? to,
        string? racks,
        HttpRequest request,
        SiteDatasetExporter exporter,
        IOptions<SiteExportOptions> options,
        IOptions<Grains.Warehouse.WarehouseOptions> site,
        CancellationToken cancellationToken)
    {
        if (!TryRange(from, to, options.Value.MaxRange, out var range, out var problem))
        {
            return problem;
        }

        var known = await exporter.RacksAsync();
        if (!TryRacks(racks, known, out var chosen, out problem))
        {
            return problem;
        }

        var scope = new SiteDatasetScope(site.Value.SiteId, range.From, range.To, chosen);
        var export = await exporter.ExportAsync(scope, $"GET {request.Path}{request.QueryString}", cancellationToken);
        if (export.Manifest.Rows == 0)
        {
            var excluded = export.Manifest.Site!.ExcludedTestRows;
            var which = racks is null ? "any rack" : "rack(s) " + string.Join(", ", chosen);
            var testNote = excluded > 0 ? string.Create(CultureInfo.InvariantCulture, $" but {excluded} that test alarms cover (left out of training)") : "";
            return Problems.Field(StatusCodes.Status404NotFound, "Nothing to export", "from",
                string.Create(CultureInfo.InvariantCulture, $"no logged readings of {which} from {range.From:O} to {range.To:O}{testNote}"));
        }

        return TypedResults.File(export.Zip, "application/zip", string.Create(CultureInfo.InvariantCulture, $"site-dataset-{range.From:yyyyMMdd'T'HHmmss'Z'}.zip"));
    }

    private static bool TryRange(DateTimeOffset? from, DateTimeOffset? to, TimeSpan maxRange, out (DateTimeOffset From, DateTimeOffset To) range, [NotNullWhen(false)] out IResult? problem)
    {
        range = default;
        problem = from is null ? Invalid("from", "required: the start of the range (ISO 8601 with an offset)")
            : to is null ? Invalid("to", "required: the end of the range (ISO 8601 with an offset)")
            : from.Value.UtcTicks - DateTimeOffset.MinValue.UtcTicks < SiteDatasetScope.WarmUp.Ticks ? Invalid("from", "leaves no room for the features' warm-up before it")
            : from >= to ? Invalid("from", "must be before 'to'")
            : to - from > maxRange ? Invalid("to", $"the range may span at most {maxRange.TotalDays:0.##} days (Hvs:Export:MaxRange); export it in parts")
            : null;
        if (problem is null)
        {
            range = (from!.Value.ToUniversalTime(), to!.Value.ToUniversalTime());
        }

        return problem is null;
    }

    private static bool TryRacks(string? racks, IReadOnlyList<string> known, out IReadOnlyList<string> chosen, [NotNullWhen(false)] out IResult? problem)
    {
        (chosen, problem) = (known, null);
        if (racks is null)
        {
            return true;
        }

        var names = racks.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var validator = new ReadingValidator();
        var unknown = names.FirstOrDefault(n => !validator.IsAcceptableId(n) || !known.Contains(n, StringComparer.Ordinal));
        problem = names.Count == 0 ? Invalid("racks", "give one or more rack ids separated by commas, or leave it out for every rack")
            : unknown is not null ? Invalid("racks", $"no rack '{unknown}' has reported to this site")
            : null;
        chosen = names;
        return problem is null;
    }

    private static IResult Invalid(string parameter, string reason) =>
        Problems.Field(StatusCodes.Status400BadRequest, "Invalid export", parameter, reason);
}
