using HvsGrains.Grains.ModelScoring;
using HvsGrains.Grains.ModelScoring.Drift;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>The site, rack and module queries of facility systems, answered from grain state and the log.</summary>
public static class StatusEndpoints
{
    private const int MaxHistoryReadings = 10_000;

    public static RouteGroupBuilder MapStatusEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var status = api.MapGroup("/").RequireAuthorization(ApiRoles.CanRead).WithTags("Status");
        status.MapGet("/warehouse", GetWarehouseAsync).WithSummary("The site picture: level, racks, alarm counts");
        status.MapGet("/racks/{rackId}", GetRackAsync).WithSummary("A rack: module levels, hottest module, propagation risk")
            .ProducesProblem(StatusCodes.Status404NotFound);
        status.MapGet("/modules/{moduleId}", GetModuleAsync).WithSummary("A module: level, probability, latest reading, features, why")
            .ProducesProblem(StatusCodes.Status404NotFound);
        status.MapGet("/modules/{moduleId}/readings", GetHistoryAsync).WithSummary("A module's readings from the durable log")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return status;
    }

    private static async Task<WarehouseStatus> GetWarehouseAsync(IGrainFactory grains, IOptions<WarehouseOptions> site, HazardModelManager models, DriftReporter drift) =>
        await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).GetStatus() with { ModelVersion = models.Current?.Version, ModelDrift = drift.Latest?.Advisory };

    // An id no reading may carry names nothing (and Orleans refuses a blank grain key): 404 without asking a grain.
    private static async Task<IResult> GetRackAsync(string rackId, IGrainFactory grains, ReadingValidator ids) =>
        ids.IsAcceptableId(rackId) && await grains.GetGrain<IRackGrain>(rackId).GetStatus() is { } rack ? TypedResults.Ok(rack) : Problems.NotFound("rack", rackId);

    private static async Task<IResult> GetModuleAsync(string moduleId, IGrainFactory grains, ReadingValidator ids) =>
        ids.IsAcceptableId(moduleId) && await grains.GetGrain<IModuleGrain>(moduleId).GetStatus() is { } module ? TypedResults.Ok(module) : Problems.NotFound("module", moduleId);

    private static async Task<IResult> GetHistoryAsync(
        string moduleId, DateTimeOffset? from, DateTimeOffset? to, int? limit, IReadingLog log, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!HistoryRange.TryResolve(from, to, clock.GetUtcNow(), out var range, out var problem))
        {
            return problem;
        }

        if (limit is < 1 or > MaxHistoryReadings)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "Invalid limit", "limit", $"must be between 1 and {MaxHistoryReadings}");
        }

        var readings = await log.ReadModuleAsync(moduleId, range.From, range.To, limit ?? MaxHistoryReadings, cancellationToken);
        return TypedResults.Ok(new ReadingHistory(moduleId, range.From, range.To, readings));
    }

    /// <summary>A module's logged readings in a time range, oldest first.</summary>
    public sealed record ReadingHistory(string ModuleId, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<LoggedReading> Readings);
}
