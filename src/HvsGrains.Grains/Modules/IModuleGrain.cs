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

    /// <summary>
    /// Applies readings and answers once they are applied: across silos only the module's own turns order its
    /// readings, so a cluster acknowledges a batch after this (a gateway's next batch may go to another silo).
    /// </summary>
    [Alias("apply")]
    Task Apply(ModuleReadings readings);

    /// <summary>The module's status, or null when it has never reported.</summary>
    [Alias("status")]
    Task<ModuleStatus?> GetStatus();
}
