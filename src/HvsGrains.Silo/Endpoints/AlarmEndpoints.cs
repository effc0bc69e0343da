using System.ComponentModel;
using System.Security.Claims;
using HvsGrains.Grains.Warehouse;
using HvsGrains.Silo.Security;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Endpoints;

/// <summary>The alarm list (read), its acknowledgement and the operators' verdicts (operator or admin key).</summary>
public static class AlarmEndpoints
{
    private const int MaxOperatorName = 100;

    public static RouteGroupBuilder MapAlarmEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var alarms = api.MapGroup("/alarms").RequireAuthorization(ApiRoles.CanRead).WithTags("Alarms");
        alarms.MapGet("/", GetAlarmsAsync)
            .WithSummary("Alarms: open ones first (most severe, then newest), then acknowledged, cleared last; filter with state=open|acknowledged|cleared and verdict=true-alarm|false-alarm|test")
            .WithDescription("Times: causeSeenAt is sensor time (the reading's timestamp); raisedAt, updatedAt, acknowledgedAt and clearedAt are server time.")
            .Produces<IReadOnlyList<Alarm>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        alarms.MapGet("/verdicts", GetVerdictsAsync)
            .WithSummary("Every verdict operators recorded, newest first: the labels for the model's next training (kept after their alarms are trimmed)")
            .Produces<IReadOnlyList<AlarmVerdictRecord>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        alarms.MapPost("/{alarmId}/ack", AcknowledgeAsync).RequireAuthorization(ApiRoles.CanOperate)
            .WithSummary("Acknowledge an alarm (operator or admin key); optionally name the operator and give a verdict")
            .Produces<Alarm>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        alarms.MapPost("/{alarmId}/verdict", RecordVerdictAsync).RequireAuthorization(ApiRoles.CanOperate)
            .WithSummary("Record or change the verdict on an alarm in any state, cleared included (operator or admin key)")
            .Produces<Alarm>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return alarms;
    }

    private static async Task<IResult> GetAlarmsAsync(string? state, string? verdict, IGrainFactory grains, IOptions<WarehouseOptions> site)
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

        if (!TryParseVerdict(verdict, out var judged, out var problem))
        {
            return problem;
        }

        return TypedResults.Ok(await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).GetAlarms(filter, judged));
    }

    private static async Task<IResult> GetVerdictsAsync(string? verdict, IGrainFactory grains, IOptions<WarehouseOptions> site) =>
        TryParseVerdict(verdict, out var judged, out var problem)
            ? TypedResults.Ok(await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).GetVerdicts(judged))
            : problem;

    private static async Task<IResult> AcknowledgeAsync(
        string alarmId, AcknowledgeRequest? request, ClaimsPrincipal user, IGrainFactory grains, IOptions<WarehouseOptions> site)
    {
        if (!TryRead(request, user, verdictRequired: false, out var acknowledgement, out var problem))
        {
            return problem;
        }

        var result = await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).Acknowledge(alarmId, acknowledgement);
        return result.Outcome switch
        {
            AcknowledgeOutcome.NotFound => Problems.Field(StatusCodes.Status404NotFound, "Unknown alarm", "alarmId", $"no alarm '{alarmId}' is in this site's list"),
            AcknowledgeOutcome.AlreadyCleared => Problems.Field(StatusCodes.Status409Conflict, "Alarm already cleared", "alarmId",
                $"{alarmId} cleared at {result.Alarm!.ClearedAt:O}; there is nothing left to acknowledge (a verdict can still be recorded at /verdict)"),
            _ => TypedResults.Ok(result.Alarm),
        };
    }

    private static async Task<IResult> RecordVerdictAsync(
        string alarmId, AcknowledgeRequest? request, ClaimsPrincipal user, IGrainFactory grains, IOptions<WarehouseOptions> site)
    {
        if (!TryRead(request, user, verdictRequired: true, out var judgement, out var problem))
        {
            return problem;
        }

        var result = await grains.GetGrain<IWarehouseGrain>(site.Value.SiteId).RecordVerdict(alarmId, judgement);
        return result.Outcome == AcknowledgeOutcome.NotFound
            ? Problems.Field(StatusCodes.Status404NotFound, "Unknown alarm", "alarmId", $"no alarm '{alarmId}' is in this site's list")
            : TypedResults.Ok(result.Alarm);
    }

    /// <summary>Who and what from the body and the key; the key's name comes from authentication, never from the body.</summary>
    private static bool TryRead(AcknowledgeRequest? request, ClaimsPrincipal user, bool verdictRequired, out Acknowledgement acknowledgement, out IResult problem)
    {
        acknowledgement = null!;
        var keyName = user.Identity?.Name ?? "unknown-key";
        var name = request?.Operator ?? request?.By;
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        if (name is { Length: > MaxOperatorName })
        {
            problem = Problems.Field(StatusCodes.Status400BadRequest, "Invalid acknowledgement", request?.Operator is null ? "by" : "operator", $"must be at most {MaxOperatorName} characters");
            return false;
        }

        if (verdictRequired && string.IsNullOrWhiteSpace(request?.Verdict))
        {
            problem = Problems.Field(StatusCodes.Status400BadRequest, "Verdict missing", "verdict", $"give one of {string.Join(", ", AlarmVerdicts.Names)}");
            return false;
        }

        if (!TryParseVerdict(request?.Verdict, out var verdict, out problem))
        {
            return false;
        }

        acknowledgement = new Acknowledgement(keyName, name, verdict);
        return true;
    }

    private static bool TryParseVerdict(string? text, out AlarmVerdict? verdict, out IResult problem)
    {
        verdict = null;
        problem = null!;
        if (text is null)
        {
            return true;
        }

        if (AlarmVerdicts.TryParse(text, out var parsed))
        {
            verdict = parsed;
            return true;
        }

        problem = Problems.Field(StatusCodes.Status400BadRequest, "Invalid verdict", "verdict", $"'{text}' is not one of {string.Join(", ", AlarmVerdicts.Names)}");
        return false;
    }

    /// <summary>An acknowledgement or verdict. The key that sends it is recorded as well; the names here are what people read.</summary>
    public sealed record AcknowledgeRequest(
        [property: Description("The operator's name as the alarm shows it; when omitted the API key's name (e.g. operator-key) stands in.")]
        string? Operator = null,
        [property: Description("Older name of 'operator', still taken.")]
        string? By = null,
        [property: Description("Optional on /ack, required on /verdict: true-alarm, false-alarm or test; kept as a training label.")]
        string? Verdict = null);
}
