using HvsGrains.Grains.ReadingLog;
using Orleans.Concurrency;

namespace HvsGrains.Grains.Modules;

/// <summary>One battery module: its feature windows, hazard level and latest reading. Key: the module id.</summary>
[Alias("hvs.module")]
public interface IModuleGrain : IGrainWithStringKey
{
    /// <summary>Takes one logged reading (one turn per reading); the front door does not wait.</summary>
    [OneWay, Alias("ingest")]
    Task Ingest(LoggedReading reading);

    /// <summary>The module's status, or null when it has never reported.</summary>
    [Alias("status")]
    Task<ModuleStatus?> GetStatus();
}
