using HvsGrains.Grains.Anomaly;
using HvsGrains.Grains.Hazard;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Readings;
using HvsGrains.Grains.Warehouse;
using Microsoft.Extensions.Options;

namespace HvsGrains.Grains.Racks;

/// <summary>
/// One rack: keeps each module's last report and its gas detector's reading, judges them as one physical
/// event (<see cref="RackEventAssessor"/>: peer comparison, gas with corroboration), finds the hottest module
/// and heat spreading to neighbours, and reports to the warehouse only when its picture changes.
/// </summary>
[GrainType("rack")]
public sealed class RackGrain(
    [PersistentState("rack")] IPersistentState<RackState> state,
    PropagationDetector detector,
    RackEventAssessor assessor,
    IOptions<WarehouseOptions> warehouse) : Grain, IRackGrain
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(30);
    private RackReport? _lastReport;
    private RackEvent? _event;
    private long _sequence;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(_ => FlushAsync(), FlushInterval, FlushInterval);
        return Task.CompletedTask;
    }

    public Task ReportModule(ModuleReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (state.State.Modules.TryGetValue(report.ModuleId, out var held) && held.At > report.At)
        {
            // Reports go one-way and may arrive out of order: an older one must not undo a newer one, but a rise of the
            // module's own level that it shows began earlier, so the event confirms in sensor time whatever the order.
            return report.Level > HazardLevel.Watch && held.Level > HazardLevel.Watch && state.State.EventMemory.RisingSince > report.At
                ? BackdateRiseAsync(report.At)
                : Task.CompletedTask;
        }

        state.State.Modules[report.ModuleId] = report;
        return ReassessAsync(report.At);
    }

    private Task BackdateRiseAsync(DateTimeOffset since)
    {
        state.State.EventMemory = state.State.EventMemory with { RisingSince = since };
        return ReassessAsync(since); // judged at the newest report's time
    }

    public async Task RemoveModule(string moduleId)
    {
        if (state.State.Modules.Remove(moduleId, out var left))
        {
            if (_event is null || _event.SuspectModuleId == moduleId)
            {
                // The event was about the module that left (or is unknown since a reactivation): it goes with the module,
                // and no hold keeps this rack raised for it.
                state.State.EventMemory = RackEventMemory.None;
            }

            await ReassessAsync(left.At, emptySince: left.At);
            await FlushAsync(); // after a crash the rack must not count the module again
        }
    }

    public Task ReportRackReading(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var gas = new GasSample(reading.CoPpm, reading.H2Ppm, reading.VocPpm, reading.Timestamp);
        if (gas.IsEmpty || (state.State.Gas is { } known && known.At >= reading.Timestamp))
        {
            return Task.CompletedTask; // no gas in it, or older than what the rack knows (a replay)
        }

        state.State.Gas = gas;
        return state.State.Modules.Count == 0 ? Task.CompletedTask : ReassessAsync(reading.Timestamp);
    }

    /// <summary>
    /// Judges the rack again and tells the warehouse when the picture changed; <paramref name="emptySince"/> dates the
    /// report of a rack every module left.
    /// </summary>
    private async Task ReassessAsync(DateTimeOffset at, DateTimeOffset? emptySince = null)
    {
        if (state.State.Modules.Count > 0)
        {
            var (rackEvent, memory) = assessor.Assess(state.State.Modules.Values, state.State.Gas, state.State.EventMemory, Latest(at));
            state.State.EventMemory = memory;
            _event = rackEvent;
        }
        else
        {
            _event = null;
        }

        _dirty = true;
        var rackReport = BuildReport(emptySince);
        if (!rackReport.DiffersMateriallyFrom(_lastReport))
        {
            return;
        }

        // The event's level too: the rack's level can already be Critical from a module's own rules while the event
        // confirms, and a rack reactivated from an older memory would report the event unconfirmed (its alarm would clear).
        var levelChanged = _lastReport?.Level != rackReport.Level || _lastReport?.Propagation.Active != rackReport.Propagation.Active
            || _lastReport?.Event?.Level != rackReport.Event?.Level;
        rackReport = rackReport with { Sequence = _sequence = Math.Max(_sequence + 1, DateTime.UtcNow.Ticks) };
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
        return Task.FromResult<RackStatus?>(new RackStatus(this.GetPrimaryKeyString(), report.Level, report.HottestModuleId, report.HottestTempC, report.Propagation, modules)
        {
            Event = report.Event,
            Gas = state.State.Gas,
        });
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
        var rackEvent = _event ?? assessor.Assess(modules, state.State.Gas, state.State.EventMemory, modules.Max(m => m.At)).Event;
        var level = modules.Max(m => m.Level);
        level = rackEvent.Level > level ? rackEvent.Level : level;
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
        var anomalies = modules.Where(m => m.Anomaly is not null)
            .OrderBy(m => m.ModuleId, StringComparer.Ordinal)
            .Select(m => new ModuleAnomaly(m.ModuleId, m.Anomaly!, m.At))
            .ToList();
        return new RackReport(this.GetPrimaryKeyString(), level, modules.Count, hottest?.ModuleId, hottest?.MaxSurfaceTempC, propagation, alerts, modules.Max(m => m.At),
            faults.Count > 0 ? faults : null, anomalies.Count > 0 ? anomalies : null)
        {
            Event = rackEvent,
        };
    }

    // Sensor time of the rack: modules run at their own pace, so the newest time any of them or the detector has seen.
    private DateTimeOffset Latest(DateTimeOffset at)
    {
        var latest = at;
        foreach (var module in state.State.Modules.Values)
        {
            latest = module.At > latest ? module.At : latest;
        }

        return latest;
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
