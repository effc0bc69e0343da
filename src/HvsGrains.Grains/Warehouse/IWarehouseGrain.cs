using HvsGrains.Grains.Racks;
using HvsGrains.Runtime;

namespace HvsGrains.Grains.Warehouse;

/// <summary>The site: every rack's picture and the alarms. Key: the site id.</summary>
public interface IWarehouseGrain : IGrainWithStringKey
{
    [OneWay]
    Task ReportRack(RackReport report);

    Task<WarehouseStatus> GetStatus();

    /// <summary>Alarms, newest first; all when <paramref name="state"/> is null.</summary>
    Task<IReadOnlyList<Alarm>> GetAlarms(AlarmState? state);

    Task<AlarmAcknowledgement> Acknowledge(string alarmId, string by);
}
