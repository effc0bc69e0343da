using HvsGrains.Grains.Modules;
using HvsGrains.Runtime;

namespace HvsGrains.Grains.Racks;

/// <summary>One rack: the levels of its modules, its hottest module and propagation risk. Key: the rack id.</summary>
public interface IRackGrain : IGrainWithStringKey
{
    [OneWay]
    Task ReportModule(ModuleReport report);

    /// <summary>The rack's status, or null when no module of it has reported.</summary>
    Task<RackStatus?> GetStatus();
}
