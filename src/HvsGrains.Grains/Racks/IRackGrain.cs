using HvsGrains.Grains.Modules;
using Orleans.Concurrency;

namespace HvsGrains.Grains.Racks;

/// <summary>One rack: the levels of its modules, its hottest module and propagation risk. Key: the rack id.</summary>
[Alias("hvs.rack")]
public interface IRackGrain : IGrainWithStringKey
{
    [OneWay, Alias("report-module")]
    Task ReportModule(ModuleReport report);

    /// <summary>A module of this rack now reports to another rack: it leaves this rack's picture and counts.</summary>
    [OneWay, Alias("remove-module")]
    Task RemoveModule(string moduleId);

    /// <summary>The rack's status, or null when no module of it has reported.</summary>
    // Interleaves with a module report awaiting its state write; one synchronous turn over in-memory state.
    [AlwaysInterleave, Alias("status")]
    Task<RackStatus?> GetStatus();
}
