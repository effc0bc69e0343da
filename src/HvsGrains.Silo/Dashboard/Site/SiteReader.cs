using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Options;

namespace HvsGrains.Silo.Dashboard.Site;

/// <summary>
/// Reads the site picture from the grains: the warehouse's status and alarms, and each rack's modules. A rack is
/// asked again only when the warehouse's report of it changed since the last read (or on a full read), so a change
/// of one rack costs three calls, not one per rack. Used by one caller at a time (the site feed's loop).
/// </summary>
public sealed class SiteReader(IGrainFactory grains, IOptions<WarehouseOptions> site)
{
    private const int ClearedAlarmsShown = 20;
    private readonly Dictionary<string, (RackReport Report, RackView View)> _racks = new(StringComparer.Ordinal);

    /// <summary>The picture now; <paramref name="full"/> asks every rack, not only those whose report changed.</summary>
    public async Task<SiteSnapshot> ReadAsync(bool full)
    {
        if (full)
        {
            lock (_racks)
            {
                _racks.Clear();
            }
        }

        var warehouse = grains.GetGrain<IWarehouseGrain>(site.Value.SiteId);
        var statusCall = warehouse.GetStatus();
        var alarmsCall = warehouse.GetAlarms(null, null);
        var status = await statusCall;
        var alarms = await alarmsCall;
        var racks = await Task.WhenAll(status.Racks.Select(ReadRackAsync));
        lock (_racks)
        {
            foreach (var gone in _racks.Keys.Except(status.Racks.Select(r => r.RackId), StringComparer.Ordinal).ToList())
            {
                _racks.Remove(gone);
            }
        }

        var shown = alarms.Where(a => a.IsActive).Concat(alarms.Where(a => !a.IsActive).Take(ClearedAlarmsShown)).ToList();
        return new SiteSnapshot(status.SiteId, status.Level, status.RackCount, status.ModuleCount, status.OpenAlarms, status.AcknowledgedAlarms,
            racks.OrderBy(r => r.RackId, StringComparer.Ordinal).ToList(), shown);
    }

    private async Task<RackView> ReadRackAsync(RackReport report)
    {
        lock (_racks)
        {
            if (_racks.TryGetValue(report.RackId, out var known) && known.Report.At == report.At && !report.DiffersMateriallyFrom(known.Report))
            {
                return known.View;
            }
        }

        var rack = await grains.GetGrain<IRackGrain>(report.RackId).GetStatus();
        var view = rack is null
            ? new RackView(report.RackId, report.Level, report.HottestModuleId, report.HottestTempC, report.Propagation, [])
            : new RackView(rack.RackId, rack.Level, rack.HottestModuleId, rack.HottestTempC, rack.Propagation,
                rack.Modules.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToList());
        lock (_racks)
        {
            _racks[report.RackId] = (report, view);
        }

        return view;
    }
}
