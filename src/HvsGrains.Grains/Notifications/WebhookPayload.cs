using System.Text.Json;
using System.Text.Json.Serialization;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Warehouse;

namespace HvsGrains.Grains.Notifications;

/// <summary>
/// The JSON body of a delivery, in its own shape (not the grain records') so the documented format stays put when the
/// alarm records grow. The same entry always gives the same body: a retry is byte-for-byte the first attempt.
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Serialize(string siteId, OutboxEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var body = new Body(
            entry.EventId,
            entry.Type,
            entry.Number,
            siteId,
            entry.RecordedAt,
            entry.Alarm is { } a ? new AlarmBody(a.Id, a.Kind, a.RackId, a.ModuleId, a.Level, a.PeakLevel, a.State, a.Reason, a.RaisedAt, a.UpdatedAt, a.AcknowledgedBy, a.AcknowledgedAt, a.ClearedAt) : null,
            entry.Module);
        return JsonSerializer.SerializeToUtf8Bytes(body, Json);
    }

    private sealed record Body(Guid Id, string Type, long Sequence, string Site, DateTimeOffset OccurredAt, AlarmBody? Alarm, ModuleLevelChange? Module);

    private sealed record AlarmBody(
        string Id,
        AlarmKind Kind,
        string RackId,
        string? ModuleId,
        HazardLevel Level,
        HazardLevel PeakLevel,
        AlarmState State,
        string Reason,
        DateTimeOffset RaisedAt,
        DateTimeOffset UpdatedAt,
        string? AcknowledgedBy,
        DateTimeOffset? AcknowledgedAt,
        DateTimeOffset? ClearedAt);
}
