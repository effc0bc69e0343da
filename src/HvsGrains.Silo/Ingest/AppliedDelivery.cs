using HvsGrains.Grains.Modules;
using HvsGrains.Grains.ReadingLog;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// How a cluster hands a committed batch to its modules: one call per module with its readings in batch order, answered
/// once applied, so the batch is acknowledged only when its modules have it. A silo's commit-order lanes
/// (<see cref="ModuleDispatcher"/>) order only what that silo committed; a gateway's next batch may reach another silo,
/// and only the module's own turns order the two. Readings the log already held (a batch sent again) go too, so a
/// module that missed them (its batch's silo died before handing them over) gets them now.
/// </summary>
public sealed class AppliedDelivery(ModuleReferences modules)
{
    public Task DeliverAsync(IReadOnlyList<SensorReading> readings, long[] sequences, DateTimeOffset acceptedAt)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(sequences);
        var byModule = new Dictionary<string, List<LoggedReading>>(StringComparer.Ordinal);
        for (var i = 0; i < readings.Count; i++)
        {
            var reading = readings[i];
            if (modules.TryHandToRack(reading))
            {
                continue; // the rack's gas detector: judged by the rack, no module applies it
            }

            if (!byModule.TryGetValue(reading.ModuleId, out var own))
            {
                byModule[reading.ModuleId] = own = [];
            }

            own.Add(new LoggedReading(sequences[i], reading, acceptedAt));
        }

        return Task.WhenAll(byModule.Select(module => modules.Get(module.Key).Apply(new ModuleReadings(module.Value))));
    }
}
