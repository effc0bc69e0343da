using System.Security.Claims;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>The alarm list and its acknowledgement.</summary>
public static class AlarmEndpoints
{
    public static RouteGroupBuilder MapAlarmEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var alarms = api.MapGroup("/alarms").RequireAuthorization(ApiRoles.CanRead).WithTags("Alarms");
        alarms.MapGet("/", GetAlarmsAsync).WithSummary("Alarms, newest first; filter with state=open|acknowledged|cleared")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        alarms.MapPost("/{alarmId}/ack", AcknowledgeAsync).WithSummary("Acknowledge an alarm; 'by' names the person")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return alarms;
    }

    private static async Task<IResult> GetAlarmsAsync(string? state, IGrainFactory grains, IOptions<WarehouseOptions> site)
    {
        AlarmState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<AlarmState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Field(StatusCodes.Status400BadRequest, "Invalid alarm state", "state", $"'{state}' is not one of open, acknowledged, cleared");
            }

            filter = parsed;
        }

        return TypedResults.Ok(await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).GetAlarms(filter));
    }

    private static async Task<IResult> AcknowledgeAsync(
        string alarmId, AcknowledgeRequest? request, ClaimsPrincipal user, IGrainFactory grains, IOptions<WarehouseOptions> site)
    {
        var by = string.IsNullOrWhiteSpace(request?.By) ? user.Identity?.Name ?? "unknown" : request.By.Trim();
        if (by.Length > 100)
        {
            return Problems.Field(StatusCodes.Status400BadRequest, "Invalid acknowledgement", "by", "must be at most 100 characters");
        }

        var result = await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).Acknowledge(alarmId, by);
        return result.Outcome switch
        {
            AcknowledgeOutcome.NotFound => Problems.NotFound("alarm", alarmId),
            AcknowledgeOutcome.AlreadyCleared => Problems.Field(StatusCodes.Status409Conflict, "Alarm already cleared", "alarmId",
                $"{alarmId} cleared at {result.Alarm!.ClearedAt:O}; there is nothing left to acknowledge"),
            _ => TypedResults.Ok(result.Alarm),
        };
    }

    /// <summary>Who acknowledges; defaults to the API key's role when omitted.</summary>
    public sealed record AcknowledgeRequest(string? By);
}
