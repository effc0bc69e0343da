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
        await PublishAsync();
    }

    public async Task RemoveModule(string moduleId)
    {
        if (state.State.Modules.Remove(moduleId, out var left))
        {
            await PublishAsync(left.At);
            await FlushAsync(); // after a crash the rack must not count the module again
        }
    }

    /// <summary>Tells the warehouse when the picture changed; <paramref name="emptySince"/> dates the report of a rack left empty.</summary>
    private async Task PublishAsync(DateTimeOffset? emptySince = null)
    {
        _dirty = true;
        var rackReport = BuildReport(emptySince);
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

    private RackReport BuildReport(DateTimeOffset? emptySince = null)
    {
        var modules = state.State.Modules.Values;
        if (modules.Count == 0)
        {
            // Every module moved away: the warehouse drops the rack on a report of no modules.
            return new RackReport(this.GetPrimaryKeyString(), HazardLevel.Normal, 0, null, null, PropagationRisk.None, [], emptySince ?? _lastReport?.At ?? DateTimeOffset.MinValue);
        }

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
        var faults = modules.Where(m => m.FaultyChannels is { Count: > 0 })
            .OrderBy(m => m.ModuleId, StringComparer.Ordinal)
            .Select(m => new SensorAdvisory(m.ModuleId, m.FaultyChannels!, m.At))
            .ToList();
        return new RackReport(this.GetPrimaryKeyString(), level, modules.Count, hottest?.ModuleId, hottest?.MaxSurfaceTempC, propagation, alerts, modules.Max(m => m.At),
            faults.Count > 0 ? faults : null);
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
