using System.Collections.Concurrent;
using HvsGrains.Grains.Modules;
using HvsGrains.Grains.Racks;
using HvsGrains.Grains.Readings;

namespace HvsGrains.Silo.Ingest;

/// <summary>
/// One grain reference per module id: Orleans builds a new reference on every GetGrain, which cost
/// about a tenth of the front door's time per reading. Bounded like the id pool, so made-up ids cannot
/// grow it without end (past the bound a reference is built per call, as Orleans does).
/// </summary>
public sealed class ModuleReferences(IGrainFactory grains, int capacity = 200_000)
{
    private readonly ConcurrentDictionary<string, IModuleGrain> _references = new(StringComparer.Ordinal);

    public IModuleGrain Get(string moduleId)
    {
        if (_references.TryGetValue(moduleId, out var reference))
        {
            return reference;
        }

        reference = grains.GetGrain<IModuleGrain>(moduleId);
        return _references.Count < capacity ? _references.GetOrAdd(moduleId, reference) : reference;
    }

    /// <summary>
    /// Hands a rack's own reading (its gas detector, no module) to its rack grain, one-way; false for a module's reading.
    /// Every way readings reach the grains asks this first, so no rack reading is taken for a module.
    /// </summary>
    public bool TryHandToRack(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!reading.IsRackReading)
        {
            return false;
        }

        // One per rack and sample: not worth a cached reference.
        _ = grains.GetGrain<IRackGrain>(reading.RackId).ReportRackReading(reading); // one-way
        return true;
    }
}
