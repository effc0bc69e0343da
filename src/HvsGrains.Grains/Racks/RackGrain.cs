using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// One rack: keeps each module's last report, finds the hottest module and neighbours heating
/// together, and reports to the warehouse only when its picture changes.
/// </summary>
[GrainType("rack")]
public sealed class RackGrain(
    [PersistentState("rack")] IPersistentState<RackState> state,
    PropagationDetector detector,
    IOptions<WarehouseOptions> warehouse) : Grain, IRackGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(30);
    private RackReport? _lastReport;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => FlushAsync(), FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public async Task ReportModule(ModuleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        state.State.Modules[report.ModuleId] = report;
        _dirty = true;
        var rackReport = BuildReport();
        if (!rackReport.DiffersMateriallyFrom(_lastReport))
        {
            return;
        }

        var levelChanged = _lastReport?.Level != rackReport.Level || _lastReport?.Propagation.Active != rackReport.Propagation.Active;
        _lastReport = rackReport;
        _ = GrainFactory.GetGrain<IWarehouseGrain>(warehouse.Value.SiteId).ReportRack(rackReport); // one-way
        if (levelChanged)
        {
            await FlushAsync();
        }
    }

    public Task<RackStatus?> GetStatus()
    {
        if (state.State.Modules.Count == 0)
        {
            return Task.FromResult<RackStatus?>(null);
        }

        var report = BuildReport();
        var modules = state.State.Modules.Values.OrderBy(m => m.ModuleId, StringComparer.Ordinal).ToList();
        return Task.FromResult<RackStatus?>(new RackStatus(this.GetPrimaryKeyString(), report.Level, report.HottestModuleId, report.HottestTempC, report.Propagation, modules));
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync();

    private RackReport BuildReport()
    {
        var modules = state.State.Modules.Values;
        var hottest = modules.Where(m => m.MaxSurfaceTempC is not null).MaxBy(m => m.MaxSurfaceTempC);
        var propagation = detector.Assess(modules);
        var level = modules.Max(m => m.Level);
        if (propagation.Active && level < HazardLevel.Warning)
        {
            level = HazardLevel.Warning;
        }

        var alerts = modules.Where(m => m.Level > HazardLevel.Normal)
            .OrderBy(m => m.ModuleId, StringComparer.Ordinal)
            .Select(m => new ModuleAlert(m.ModuleId, m.Level, m.TopReason, m.At))
            .ToList();
        return new RackReport(this.GetPrimaryKeyString(), level, modules.Count, hottest?.ModuleId, hottest?.MaxSurfaceTempC, propagation, alerts, modules.Max(m => m.At));
    }

    private async Task FlushAsync()
    {
        if (_dirty)
        {
            await state.WriteStateAsync();
            _dirty = false;
        }
    }
}
